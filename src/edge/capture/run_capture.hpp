#pragma once
// natlab run --capture DIR: every interface of every node of the lab, for the
// whole run, into one pcapng file DIR/<lab>.pcapng (an interface block per
// NODE:IFACE, as natlab capture writes), kept however the command ends.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/capture/capture_target.hpp"
#include "edge/capture/background_capture.hpp"
#include "edge/capture/live_capture.hpp"
#include "edge/capture/pcapng_writer.hpp"
#include "edge/system/fd.hpp"
#include "edge/use_cases/run_fixture.hpp"

namespace natlab {

class RunCapture final : public RunHooks {
  public:
    explicit RunCapture(std::string dir) : dir_(std::move(dir)) {}
    // Stops; a capture that never began (no lab was made) leaves no file.
    ~RunCapture() override;
    RunCapture(const RunCapture&) = delete;
    RunCapture& operator=(const RunCapture&) = delete;

    // Makes DIR when missing and the file in it, before anything of the lab
    // is made (and as the caller, before a rootless run's sandbox), so a DIR
    // that cannot take it is refused first: InvalidInput naming DIR and the fix.
    // The file has a name of its own (.LAB.pcapng.XXXXXXXX) until the lab
    // exists: a run refused before then leaves an earlier LAB.pcapng as it was.
    void prepare(const Lab& lab) override;
    // A capture socket on every interface, each in its node's namespace: the
    // kernel keeps their packets from here on, the command's first included.
    // Then the file takes its name, DIR/LAB.pcapng, replacing whatever had
    // it (a symbolic link there is replaced, never followed).
    void lab_made() override;
    // Reads them on a thread of natlab's own.
    void command_started() override;
    // Stops, writes every packet the kernel had, closes the file; tells where
    // it is ("natlab run: 12 packets of the run in DIR/LAB.pcapng") unless
    // quiet, and a failure to write it always.
    std::string command_ended(bool quiet) override;

  private:
    std::string dir_, lab_;
    UniqueFd dir_fd_;       // DIR as it was found, also from inside a rootless sandbox
    std::string own_name_;  // the file's name in DIR until it is placed
    bool placed_ = false;   // renamed to LAB.pcapng
    std::vector<CaptureTarget> targets_;
    std::optional<PcapngWriter> file_;
    std::unique_ptr<LiveCapture> capture_;
    std::unique_ptr<BackgroundCapture> reader_;

    std::string final_path() const;  // DIR/LAB.pcapng
};

}  // namespace natlab
