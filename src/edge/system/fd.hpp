#pragma once
// Owning file descriptor.
#include <string>
#include <utility>
#include <vector>

namespace natlab {

class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    void reset(int fd = -1);

  private:
    int fd_ = -1;
};

// The names in a directory, without "." and ".."; empty when it cannot be
// read. Reads everything at once, so no DIR handle outlives the call.
std::vector<std::string> directory_entries(const std::string& path);
// The same for a directory open as `dirfd` (which stays open).
std::vector<std::string> directory_entries(int dirfd);

// The soft limit on open files ('ulimit -n').
std::size_t open_file_limit();
// Raises this process's soft limit of open files to its hard limit (what a
// user may do without privilege): natlab serve holds two descriptors per NAT.
void raise_open_file_limit();

}  // namespace natlab
