#include "edge/executor/kernel_executor.hpp"

#include <signal.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/names/marker.hpp"
#include "edge/daemons/daemon.hpp"
#include "edge/daemons/port_mapping_daemon.hpp"
#include "edge/kernel/await_address.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/kernel/sysctl_writer.hpp"
#include "edge/system/error.hpp"

namespace natlab {

namespace {

// Descriptors kept for other uses (libnftables, conntrack, the journal, the
// lock, containers' pipes) besides the namespaces' two each.
constexpr std::size_t kSpareDescriptors = 96;
constexpr std::size_t kMostNamespaces = 256;

// Half of what is left of the descriptors select() can take, after the spare
// ones (fewer spares under a tiny 'ulimit -n', where every descriptor counts).
std::size_t namespaces_to_keep() {
    std::size_t usable = std::min<std::size_t>(open_file_limit(), 1024);
    std::size_t left = usable - std::min(kSpareDescriptors, usable / 2);
    return std::clamp<std::size_t>(left / 2, 1, kMostNamespaces);
}

}  // namespace

KernelExecutor::KernelExecutor() : capacity_(namespaces_to_keep()) {}

KernelExecutor::Handle KernelExecutor::enter(const std::string& netns) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = open_.find(netns); it != open_.end()) {
            recent_.splice(recent_.end(), recent_, it->second);  // now the most recent
            return it->second->second;
        }
    }
    UniqueFd fd = open_netns(netns);
    if (!fd) throw KernelError("opening namespace " + netns + ": it does not exist");
    NetnsGuard guard(fd.get(), netns);
    auto ns = std::make_shared<Namespace>(Namespace{std::move(fd), RouteSocket()});
    keep(netns, ns);
    return ns;
}

void KernelExecutor::keep(const std::string& netns, Handle ns) {
    std::lock_guard lock(mutex_);
    if (open_.count(netns)) return;
    open_[netns] = recent_.insert(recent_.end(), {netns, std::move(ns)});
    while (recent_.size() > capacity_) {
        open_.erase(recent_.front().first);
        recent_.pop_front();  // closes it, unless a step still holds it
    }
}

bool KernelExecutor::take_without_rules(const std::string& netns) {
    std::lock_guard lock(mutex_);
    return without_rules_.erase(netns) > 0;
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
        {
            std::lock_guard lock(ex.mutex_);
            ex.without_rules_.insert(s.netns);
        }
        ex.keep(s.netns, std::make_shared<KernelExecutor::Namespace>(
                             KernelExecutor::Namespace{std::move(fd), std::move(*route)}));
    }
    void operator()(const CreateVeth& s) {
        auto a = ex.enter(s.netns_a);
        auto b = ex.enter(s.netns_b);
        a->route.create_veth({s.ifname_a, a->fd.get(), s.index_a, &s.mac_a},
                             {s.ifname_b, b->fd.get(), s.index_b, &s.mac_b}, s.mtu, what);
    }
    void operator()(const CreateBridge& s) {
        ex.enter(s.netns)->route.create_bridge(s.ifname, s.index, what);
    }
    void operator()(const AttachToBridge& s) {
        ex.enter(s.netns)->route.set_master(s.port, s.bridge, what);
    }
    void operator()(const SetSysctl& s) {
        write_netns_sysctl(ex.enter(s.netns)->fd.get(), s.netns, s.key, s.value, what);
    }
    void operator()(const AddAddress& s) {
        ex.enter(s.netns)->route.add_address(s.ifname, s.address, what);
    }
    void operator()(const SetLinkUp& s) { ex.enter(s.netns)->route.set_up(s.ifname, "", what); }
    void operator()(const SetLinkCondition& s) {
        ex.enter(s.netns)->route.set_condition(s.ifname, s.condition, what);
    }
    void operator()(const AddRoute& s) {
        ex.enter(s.netns)->route.add_route(s.destination, s.gateway, s.device, what);
    }
    void operator()(const AddProxyNeighbour& s) {
        ex.enter(s.netns)->route.add_proxy_neighbour(s.ifname, s.address, what);
    }
    void operator()(const ApplyRuleset& s) {
        auto ns = ex.enter(s.netns);
        NetnsGuard guard(ns->fd.get(), s.netns);
        NftContext nft;
        if (ex.take_without_rules(s.netns)) {
            nft.run(s.text, what);  // no listing first: a new namespace has no table
            return;
        }
        if (!nft.replace_table(s.family, s.table, s.text, what)) return;
        // A switch's port security holds no flows.
        if (s.family != "ip" && s.family != "ip6") return;
        // Flows made under the old rules would keep their old translation, and
        // their packets would teach the new sets stale bindings: flush both.
        ConntrackSocket().flush(s.family == "ip6" ? Family::ipv6 : Family::ipv4, what);
        if (!s.reset.empty()) nft.run(s.reset, what);
    }
    void operator()(const StartPortMapping& s) {
        auto ns = ex.enter(s.netns);
        auto pids = start_port_mapping(s.service, ns->fd.get(), s.netns, what);
        std::lock_guard lock(ex.mutex_);
        auto& mine = ex.daemons_[s.netns];
        mine.insert(mine.end(), pids.begin(), pids.end());
    }
    void operator()(const StartDaemon& s) {
        auto ns = ex.enter(s.netns);
        pid_t pid = start_daemon(s.daemon, ns->fd.get(), what);
        std::lock_guard lock(ex.mutex_);
        ex.daemons_[s.netns].push_back(pid);
    }
    void operator()(const AwaitAddress& s) {
        await_address(ex.enter(s.netns)->route, s.ifname, s.prefix, what);
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
        std::lock_guard lock(mutex_);
        if (auto it = open_.find(netns); it != open_.end()) {
            recent_.erase(it->second);
            open_.erase(it);
        }
        without_rules_.erase(netns);
        // A process inside would keep the namespace alive after its name is gone.
        for (pid_t pid : daemons_[netns]) ::kill(pid, SIGKILL);
        daemons_.erase(netns);
    }
    delete_netns(netns);
}

}  // namespace natlab
