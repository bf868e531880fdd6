#include "edge/capture/pcapng_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/capture/pcapng.hpp"

namespace natlab {
namespace {

constexpr std::size_t kBatchBytes = 64 * 1024;

UniqueFd open_for_writing(const std::string& path) {
    if (path == "-") return UniqueFd();
    UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!file) throw std::system_error(errno, std::generic_category(), path);
    return file;
}

}  // namespace

PcapngWriter::PcapngWriter(const std::string& path, const std::vector<CaptureTarget>& targets,
                           int snap_length, bool each_packet)
    : PcapngWriter(open_for_writing(path), path, targets, snap_length, each_packet || path == "-") {
}

PcapngWriter::PcapngWriter(UniqueFd file, std::string path,
                           const std::vector<CaptureTarget>& targets, int snap_length,
                           bool each_packet)
    : path_(std::move(path)), file_(std::move(file)), each_packet_(each_packet) {
    if (file_) fd_ = file_.get();
    pending_ = pcapng_section_header();
    for (const auto& t : targets)
        pending_ +=
            pcapng_interface(t.label(), kLinkTypeEthernet, static_cast<std::uint32_t>(snap_length));
    flush();
}

void PcapngWriter::write(const CapturedPacket& p) {
    pending_ += pcapng_packet(static_cast<std::uint32_t>(p.target), p.microseconds, p.bytes,
                              p.original_length);
    if (each_packet_ || pending_.size() >= kBatchBytes) flush();
}

void PcapngWriter::flush() {
    std::size_t done = 0;
    while (done < pending_.size()) {
        ssize_t n = ::write(fd_, pending_.data() + done, pending_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            pending_.erase(0, done);
            throw std::system_error(errno, std::generic_category(),
                                    "writing " + (path_ == "-" ? std::string("stdout") : path_));
        }
        done += static_cast<std::size_t>(n);
    }
    pending_.clear();
}

}  // namespace natlab
