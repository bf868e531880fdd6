#include "edge/probe/run_probe.hpp"

#include "core/plan/plan.hpp"
#include "edge/kernel/error.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/lab/live_lab.hpp"
#include "edge/lab/lock.hpp"
#include "edge/probe/probe_client.hpp"
#include "edge/probe/probe_server.hpp"

namespace natlab {

namespace {

UniqueFd open_node(const std::string& netns) {
    UniqueFd fd = open_netns(netns);
    if (!fd) throw KernelError("namespace " + netns + " does not exist; is the lab complete?");
    return fd;
}

// The server's second address, present for the probe's lifetime only.
class SpareAddress {
  public:
    SpareAddress(int netns_fd, std::string netns, std::string ifname, Cidr address)
        : netns_fd_(netns_fd),
          netns_(std::move(netns)),
          ifname_(std::move(ifname)),
          address_(address) {
        NetnsGuard guard(netns_fd_, netns_);
        RouteSocket().add_address(ifname_, address_, what("adding"));
    }
    ~SpareAddress() {
        try {
            NetnsGuard guard(netns_fd_, netns_);
            RouteSocket().delete_address(ifname_, address_, what("removing"));
        } catch (const std::exception&) {
            // The namespace is gone with its lab, and the address with it.
        }
    }
    SpareAddress(const SpareAddress&) = delete;
    SpareAddress& operator=(const SpareAddress&) = delete;

  private:
    int netns_fd_;
    std::string netns_, ifname_;
    Cidr address_;
    std::string what(const char* verb) const {
        return std::string(verb) + " the probe server's second address " + address_.str() + " on " +
               ifname_ + " in " + netns_;
    }
};

}  // namespace

ProbeReport run_probe(const std::string& lab, const ProbeTarget& target,
                      std::chrono::milliseconds timeout) {
    std::string server_ns = netns_name(lab, target.server_node);
    std::string host_ns = netns_name(lab, target.host);
    UniqueFd server_fd = open_node(server_ns);
    UniqueFd host_fd = open_node(host_ns);
    SpareAddress spare(server_fd.get(), server_ns, target.server_ifname, target.alternate);
    ProbeServer server(server_fd.get(), server_ns, target.primary.address,
                       target.alternate.address);
    ProbeObservations seen =
        observe_nat(host_fd.get(), host_ns, {server.primary(), server.alternate()}, timeout);
    return {target, server.primary(), server.alternate(), seen.local, classify(seen)};
}

ProbeReport probe_host(const std::string& lab, const std::string& host, const std::string& server,
                       std::chrono::milliseconds timeout) {
    LoadedLab loaded = load_live_lab(lab);
    ProbeTarget target = probe_target(loaded.lab, host, server);
    LabLock lock(lab);
    return run_probe(lab, target, timeout);
}

}  // namespace natlab
