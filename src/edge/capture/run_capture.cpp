#include "edge/capture/run_capture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"
#include "edge/system/random.hpp"

namespace natlab {
namespace {

namespace fs = std::filesystem;

// The kernel's buffers for all interfaces together (each up to libpcap's
// 4 MiB, at least 256 KiB): a lab of hundreds of interfaces must not pin
// gigabytes of memory.
constexpr std::size_t kBufferBudget = 64u << 20;
constexpr std::size_t kMinBuffer = 256u << 10, kMaxBuffer = 4u << 20;
// Files natlab itself keeps open besides the capture sockets.
constexpr std::size_t kOtherFiles = 64;

std::vector<CaptureTarget> every_interface(const Lab& lab) {
    std::vector<std::string> nodes;
    for (const auto& n : lab.nodes) nodes.push_back(n.name);
    return capture_targets(lab, nodes);
}

std::string refused(const std::string& dir, const std::string& why) {
    return "natlab run: --capture " + quote(dir) + ": " + why;
}

void make_directory(const std::string& dir) {
    std::error_code ec;
    fs::file_status st = fs::status(dir, ec);
    if (fs::exists(st) && !fs::is_directory(st))
        throw InvalidInput(
            refused(dir, std::string(fs::is_regular_file(st) ? "is a file, not" : "is not") +
                             " a directory; give a directory (natlab makes it "
                             "when missing and writes LAB.pcapng into it)"));
    if (fs::exists(st)) return;
    fs::create_directories(dir, ec);
    if (ec)
        throw InvalidInput(refused(dir, "cannot make this directory (" + ec.message() +
                                            "); give a directory you may write into"));
}

}  // namespace

void RunCapture::prepare(const Lab& lab) {
    lab_ = lab.name;
    targets_ = every_interface(lab);
    std::size_t limit = open_file_limit();
    if (targets_.size() + kOtherFiles > limit)
        throw InvalidInput("natlab run: --capture: lab " + lab.name + " has " +
                           std::to_string(targets_.size()) +
                           " interfaces, each captured through a socket of its own, but natlab "
                           "may open only " +
                           std::to_string(limit) + " files ('ulimit -n'); raise the limit, e.g. " +
                           "ulimit -n " + std::to_string((targets_.size() + kOtherFiles) * 2));
    make_directory(dir_);
    std::string path = final_path();
    auto cannot_write = [&](int error) {
        return InvalidInput(refused(dir_, "cannot write " + path + " (" +
                                              std::generic_category().message(error) +
                                              "); give a directory you may write into"));
    };
    dir_fd_ = UniqueFd(::open(dir_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd_) throw cannot_write(errno);
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, ".%08x", random_u32());
    std::string name = "." + lab.name + ".pcapng" + suffix;
    UniqueFd file(::openat(dir_fd_.get(), name.c_str(),
                           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!file) throw cannot_write(errno);
    own_name_ = name;  // made by this run, so removed by it unless placed
    try {
        file_.emplace(std::move(file), path, targets_, kSnapLength, false);
    } catch (const std::system_error& e) {
        throw cannot_write(e.code().value());
    }
}

std::string RunCapture::final_path() const {
    return (fs::path(dir_) / (lab_ + ".pcapng")).string();
}

RunCapture::~RunCapture() {
    if (capture_) {
        try {
            command_ended(true);
        } catch (const std::exception&) {
            // The run is ending on another error already, which is the one told.
        }
    }
    // No lab, so no packets: no file (and only the one this run made).
    if (!placed_ && !own_name_.empty()) ::unlinkat(dir_fd_.get(), own_name_.c_str(), 0);
}

void RunCapture::lab_made() {
    int each = static_cast<int>(std::clamp(
        kBufferBudget / std::max<std::size_t>(targets_.size(), 1), kMinBuffer, kMaxBuffer));
    capture_ = std::make_unique<LiveCapture>(lab_, targets_, "", kSnapLength, each);
    reader_ = std::make_unique<BackgroundCapture>(
        *capture_, [this](const CapturedPacket& p) { file_->write(p); });
    std::string name = lab_ + ".pcapng";
    if (::renameat(dir_fd_.get(), own_name_.c_str(), dir_fd_.get(), name.c_str()) != 0)
        throw_errno("natlab run: --capture: naming the capture " + final_path(), errno);
    placed_ = true;
}

void RunCapture::command_started() {
    if (reader_) reader_->start();
}

std::string RunCapture::command_ended(bool quiet) {
    if (!reader_) return "";
    BackgroundCapture::Result r = reader_->stop();
    reader_.reset();
    std::string error = r.error;
    try {
        file_->flush();
    } catch (const std::system_error& e) {
        if (error.empty()) error = e.what();
    }
    std::string path = file_->path();
    file_.reset();
    capture_.reset();
    std::string told;
    if (!quiet) {
        told = "natlab run: " + std::to_string(r.packets) + " packet" +
               (r.packets == 1 ? "" : "s") + " of the run in " + path;
        if (r.dropped)
            told += " (" + std::to_string(r.dropped) +
                    " more dropped by the kernel: they came faster than read)";
        told += "\n";
    }
    if (!error.empty())
        told += "natlab run: capturing stopped early: " + error + "; " + path +
                " holds the packets written until then\n";
    return told;
}

}  // namespace natlab
