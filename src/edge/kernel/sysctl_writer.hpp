#pragma once
// Writes the sysctls of a lab's many namespaces.
//
// Every lookup of /proc/sys/net compares the "net" entries of all the
// namespaces that procfs has ever looked up (one entry each, all under one
// parent): in a lab of 1000 routers a sysctl cost 0.9 ms, a quarter of the
// time create spent. One thread of its own, in a mount namespace of its own,
// writes through a procfs instance of its own and replaces it after every
// few dozen namespaces, so that no lookup compares more than that. Where a
// procfs cannot be mounted (inside some containers) it writes through the
// machine's /proc as before.
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace natlab {

class SysctlWriter {
  public:
    SysctlWriter() = default;
    ~SysctlWriter();
    SysctlWriter(const SysctlWriter&) = delete;
    SysctlWriter& operator=(const SysctlWriter&) = delete;

    // Writes `key` (net.ipv4.ip_forward) in the namespace of `netns_fd`;
    // throws what write_sysctl throws. Safe to call from several threads.
    void write(int netns_fd, const std::string& key, const std::string& value,
               const std::string& what);

  private:
    struct Request {
        int netns_fd;
        const std::string &key, &value, &what;
    };
    std::mutex calls_;  // one request at a time
    std::mutex mutex_;  // guards the members below
    std::condition_variable changed_;
    std::optional<Request> request_;
    std::exception_ptr failure_;
    bool done_ = false, stopping_ = false;
    std::jthread thread_;  // started by the first write

    void serve();
};

}  // namespace natlab
