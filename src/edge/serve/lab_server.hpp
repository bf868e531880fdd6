#pragma once
// natlab serve's web server: one page per lab, its view as JSON, its events
// as a server-sent event stream, and, when allowed, the changes a page asks
// for (the same use cases the commands call). Every request's Host header
// is checked; no CORS header is ever sent.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/serve/request_guard.hpp"

namespace natlab {

struct ServeOptions {
    std::vector<std::string> labs;
    ListenAddress listen;
    bool allow_changes = false;
};

class LabServer {
  public:
    // Follows every lab and binds the address (port 0: one the kernel
    // picks). Throws InvalidInput naming what to fix when a lab does not
    // exist or the address cannot be bound.
    explicit LabServer(const ServeOptions& options);
    ~LabServer();
    LabServer(const LabServer&) = delete;
    LabServer& operator=(const LabServer&) = delete;

    // "http://127.0.0.1:7180/lab/two-nat", with "?token=..." when changes
    // are allowed (the page keeps it for its requests).
    std::string url(const std::string& lab) const;
    const ListenAddress& listening() const { return listen_; }

    // Answers requests until `stop` turns true (checked every 100 ms).
    void serve_until(const std::atomic<bool>& stop);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    ListenAddress listen_;
};

}  // namespace natlab
