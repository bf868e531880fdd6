#pragma once
// A capture written as pcapng, to a file or to stdout: the section header and
// an interface block per NODE:IFACE first (so a reader names every interface
// from the start), then packet by packet.
#include <string>
#include <vector>

#include "core/capture/capture_target.hpp"
#include "edge/capture/live_capture.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

class PcapngWriter {
  public:
    // `path` "-" is stdout. `each_packet`: every packet reaches the file at
    // once (for a reader at the other end of a pipe, or of a file being
    // written); otherwise they are written in batches and by flush(). The
    // file is closed on exec. Throws std::system_error (errno, the path)
    // when the file cannot be made or written.
    PcapngWriter(const std::string& path, const std::vector<CaptureTarget>& targets,
                 int snap_length, bool each_packet);
    // Into `file`, opened by the caller; `path` names it in errors.
    PcapngWriter(UniqueFd file, std::string path, const std::vector<CaptureTarget>& targets,
                 int snap_length, bool each_packet);
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;

    void write(const CapturedPacket& p);
    void flush();  // throws std::system_error (e.g. the disk is full)
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    UniqueFd file_;
    int fd_ = 1;
    bool each_packet_;
    std::string pending_;
};

}  // namespace natlab
