#include "edge/probe/run_probe.hpp"

#include "core/plan/plan.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/probe/observe_conformance.hpp"
#include "edge/probe/probe_client.hpp"
#include "edge/probe/probe_server.hpp"
#include "edge/probe/spare_address.hpp"
#include "edge/system/error.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/lock.hpp"
#include "edge/use_cases/nat_mappings.hpp"

namespace natlab {

namespace {

UniqueFd open_node(const std::string& netns) {
    UniqueFd fd = open_netns(netns);
    if (!fd) throw KernelError("namespace " + netns + " does not exist; is the lab complete?");
    return fd;
}

// Both ends of a probe: the server's and the host's namespaces open, and the
// server's second address present while it lives.
struct ProbeSides {
    std::string server_ns, host_ns;
    UniqueFd server_fd, host_fd;
    SpareAddress alternate;

    ProbeSides(const std::string& lab, const ProbeTarget& target)
        : server_ns(netns_name(lab, target.server_node)),
          host_ns(netns_name(lab, target.host)),
          server_fd(open_node(server_ns)),
          host_fd(open_node(host_ns)),
          alternate(server_fd.get(), server_ns, target.server_ifname, target.alternate,
                    "the probe server's second address") {}
};

}  // namespace

ProbeReport run_probe(const std::string& lab, const ProbeTarget& target,
                      std::chrono::milliseconds timeout) {
    ProbeSides sides(lab, target);
    ProbeServer server(sides.server_fd.get(), sides.server_ns, target.primary.address,
                       target.alternate.address);
    ProbeObservations seen =
        observe_nat(sides.host_fd.get(), sides.host_ns, {server.primary(), server.alternate()},
                    read_ports_in_use(lab, target.nat), timeout);
    return {target, server.primary(), server.alternate(), seen.local, classify(seen)};
}

ConformanceObservations run_conformance(const std::string& lab, const ProbeTarget& target,
                                        const NatBehaviour& declared,
                                        std::chrono::milliseconds timeout) {
    ProbeSides sides(lab, target);
    std::optional<SpareAddress> second_host;
    if (target.host_spare)
        second_host.emplace(sides.host_fd.get(), sides.host_ns, target.host_ifname,
                            *target.host_spare, "verify's second inside address");
    ConformanceSetup setup;
    setup.host_netns_fd = sides.host_fd.get();
    setup.host_netns = sides.host_ns;
    setup.server_netns_fd = sides.server_fd.get();
    setup.server_netns = sides.server_ns;
    setup.server_primary = target.primary.address;
    setup.server_alternate = target.alternate.address;
    if (target.host_spare) setup.host_spare = target.host_spare->address;
    setup.declared = declared;
    setup.read_ports_in_use = [&lab, &target] { return read_ports_in_use(lab, target.nat); };
    // Half the range at most: the mappings live on after verify, and a
    // probe run soon after must still find free ports.
    PortRange range = declared.allocation_range();
    setup.ownership_endpoints = std::min(200, (range.last - range.first + 1) / 2);
    setup.timeout = timeout;
    return observe_conformance(setup);
}

ProbeReport probe_host(const std::string& lab, const std::string& host, const std::string& server,
                       std::chrono::milliseconds timeout, Family family) {
    LoadedLab loaded = load_live_lab(lab);
    ProbeTarget target = probe_target(loaded.lab, host, server, family);
    LabLock lock(lab);
    return run_probe(lab, target, timeout);
}

}  // namespace natlab
