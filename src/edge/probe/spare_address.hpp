#pragma once
// An address the probe adds to a node for its own lifetime only: the
// server's second address, or a second inside "host" on the probed host.
#include <string>

#include "core/util/ip.hpp"

namespace natlab {

class SpareAddress {
  public:
    // `role` names it in errors: "the probe server's second address".
    SpareAddress(int netns_fd, std::string netns, std::string ifname, Cidr address,
                 std::string role);
    ~SpareAddress();
    SpareAddress(const SpareAddress&) = delete;
    SpareAddress& operator=(const SpareAddress&) = delete;

  private:
    int netns_fd_;
    std::string netns_, ifname_;
    Cidr address_;
    std::string role_;
    std::string what(const char* verb) const;
};

}  // namespace natlab
