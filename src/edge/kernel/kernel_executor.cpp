#include "edge/kernel/kernel_executor.hpp"

#include <optional>
#include <utility>

#include "core/names/marker.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/error.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/kernel/sysctl.hpp"

namespace natlab {

KernelExecutor::Namespace& KernelExecutor::enter(const std::string& netns) {
    {
        std::lock_guard lock(namespaces_mutex_);
        if (auto it = namespaces_.find(netns); it != namespaces_.end()) return it->second;
    }
    UniqueFd fd = open_netns(netns);
    if (!fd) throw KernelError("opening namespace " + netns + ": it does not exist");
    NetnsGuard guard(fd.get(), netns);
    RouteSocket route;
    return keep(netns, Namespace{std::move(fd), std::move(route)});
}

KernelExecutor::Namespace& KernelExecutor::keep(const std::string& netns, Namespace ns) {
    std::lock_guard lock(namespaces_mutex_);
    return namespaces_.try_emplace(netns, std::move(ns)).first->second;
}

struct StepApplier {
    KernelExecutor& ex;
    std::string what;

    void operator()(const CreateNetns& s) {
        std::optional<RouteSocket> route;
        UniqueFd fd = create_netns(s.netns, [&] {
            route.emplace();
            route->set_up("lo", lab_marker(s.lab, s.node), what);
        });
        ex.keep(s.netns, KernelExecutor::Namespace{std::move(fd), std::move(*route), true});
    }
    void operator()(const CreateVeth& s) {
        auto& a = ex.enter(s.netns_a);
        auto& b = ex.enter(s.netns_b);
        a.route.create_veth(s.ifname_a, a.fd.get(), s.ifname_b, b.fd.get(), s.mtu, what);
    }
    void operator()(const CreateBridge& s) {
        ex.enter(s.netns).route.create_bridge(s.ifname, what);
    }
    void operator()(const AttachToBridge& s) {
        ex.enter(s.netns).route.set_master(s.port, s.bridge, what);
    }
    void operator()(const SetSysctl& s) {
        auto& ns = ex.enter(s.netns);
        NetnsGuard guard(ns.fd.get(), s.netns);
        write_sysctl(s.key, s.value, what);
    }
    void operator()(const AddAddress& s) {
        ex.enter(s.netns).route.add_address(s.ifname, s.address, what);
    }
    void operator()(const SetLinkUp& s) { ex.enter(s.netns).route.set_up(s.ifname, "", what); }
    void operator()(const AddRoute& s) {
        ex.enter(s.netns).route.add_route(s.destination, s.gateway, what);
    }
    void operator()(const ApplyRuleset& s) {
        auto& ns = ex.enter(s.netns);
        NetnsGuard guard(ns.fd.get(), s.netns);
        NftContext nft;
        if (std::exchange(ns.without_rules, false)) {
            nft.run(s.text, what);  // no listing first: a new namespace has no table
            return;
        }
        if (!nft.replace_table("ip", s.table, s.text, what)) return;
        // Flows made under the old rules would keep their old translation, and
        // their packets would teach the new sets stale bindings: flush both.
        ConntrackSocket().flush_ipv4(what);
        if (!s.reset.empty()) nft.run(s.reset, what);
    }
    void operator()(const StartContainer&) {}
};

void KernelExecutor::apply(const Step& step) {
    if (std::holds_alternative<StartContainer>(step))
        throw std::logic_error("containers are started by the container runtime, not the executor");
    std::visit(StepApplier{*this, describe(step)}, step);
}

void KernelExecutor::remove_netns(const std::string& netns) {
    {
        std::lock_guard lock(namespaces_mutex_);
        namespaces_.erase(netns);
    }
    delete_netns(netns);
}

}  // namespace natlab
