#include "edge/serve/lab_monitor.hpp"

#include <poll.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>

#include "core/conntrack/describe_flow.hpp"
#include "core/conntrack/mapping_table.hpp"
#include "core/conntrack/peer_names.hpp"
#include "core/dhcp/dhcp_lease.hpp"
#include "core/names/netns_name.hpp"
#include "core/names/paths.hpp"
#include "core/serve/flow_table.hpp"
#include "core/serve/lab_view.hpp"
#include "core/traffic/lab_traffic.hpp"
#include "core/util/clock_time.hpp"
#include "edge/kernel/conntrack.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/use_cases/dhcp_leases.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/nat_mappings.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

using nlohmann::json;
using Clock = FlowTable::Clock;

namespace {

// Refused flows are no conntrack event: each NAT's counter is read this often.
constexpr auto kRefusalPoll = std::chrono::seconds(1);
// Reading every NAT's counter costs a namespace switch and two nft listings
// each: a lab larger than this is not polled (its pages show flows alone).
constexpr std::size_t kMostPolledNats = 64;

// The journal's modification time: a change to the lab rewrites it.
long long state_stamp(const std::string& lab) {
    struct stat st {};
    if (::stat((lab_dir(lab) + "/state").c_str(), &st) != 0) return 0;
    return st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

}  // namespace

struct LabMonitor::Watched {
    std::string node;
    UniqueFd netns;
    std::unique_ptr<ConntrackSocket> events;
    FlowTable table;
    long refused = -1;  // -1: nothing to count (plain masquerade) or not read yet
    std::optional<PortUsage> ports;
};

// A view shows this many mappings of one NAT at most (a flood makes
// thousands), with how many more there are.
constexpr std::size_t kMostRowsShown = 200;

std::shared_ptr<const LabMonitor::Snapshot> LabMonitor::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

LabMonitor::LabMonitor(const std::string& lab) : name_(lab) {
    state_stamp_ = state_stamp(lab);
    LoadedLab loaded = load_live_lab(lab);
    AddressBook names = address_book(loaded.lab);
    snapshot_ = std::make_shared<const Snapshot>(Snapshot{std::move(loaded), std::move(names)});
    for (const auto& node : snapshot_->loaded.lab.nodes) {
        if (!node.nat) continue;
        auto w = std::make_unique<Watched>();
        w->node = node.name;
        w->netns = open_node_netns(lab, node.name);
        NetnsGuard guard(w->netns.get(), netns_name(lab, node.name));
        // Events first, then the dump: a flow made in between is in both.
        w->events = std::make_unique<ConntrackSocket>(true);
        w->table.replace(ConntrackSocket().dump("reading the conntrack table of " + node.name),
                         Clock::now());
        watched_.push_back(std::move(w));
    }
    thread_ = std::thread([this] { follow(); });
}

LabMonitor::~LabMonitor() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

std::shared_ptr<EventQueue> LabMonitor::subscribe() {
    // A page that stalls keeps this many events; beyond, it is told how many it missed.
    auto queue = std::make_shared<EventQueue>(2000);
    std::lock_guard lock(mutex_);
    subscribers_.push_back(queue);
    return queue;
}

void LabMonitor::publish(const json& event) {
    const std::string text = event.dump();
    std::lock_guard lock(mutex_);
    std::erase_if(subscribers_, [&](const std::weak_ptr<EventQueue>& s) {
        auto queue = s.lock();
        if (queue) queue->push(text);
        return !queue;
    });
}

void LabMonitor::follow() {
    auto next_poll = Clock::now();
    while (!stop_) {
        std::vector<pollfd> fds;
        for (const auto& w : watched_) fds.push_back({w->events->fd(), POLLIN, 0});
        ::poll(fds.data(), fds.size(), 200);
        for (std::size_t i = 0; i < watched_.size(); ++i) {
            if (!(fds[i].revents & POLLIN)) continue;
            Watched& w = *watched_[i];
            std::vector<ConntrackFlow> events;
            bool complete = true;
            // Everything the socket holds, so a flood does not overflow it
            // while other sockets are read (a bounded number of reads).
            for (int reads = 0; reads < 64; ++reads) {
                std::size_t before = events.size();
                complete = w.events->read_events(0, [&](const ConntrackFlow& f) {
                    events.push_back(f);
                }) && complete;
                if (events.size() == before) break;
            }
            auto lab = snapshot();
            {
                std::lock_guard lock(mutex_);
                for (const auto& f : events) w.table.apply(f, Clock::now());
            }
            const AddressBook& names = lab->names;
            for (const auto& f : events) {
                json j = flow_json(f, names);
                j["kind"] = "flow";
                j["node"] = w.node;
                j["time"] = clock_time_now();
                j["raw"] = raw_line(f);
                publish(j);
                ++seen_;
            }
            if (!complete)
                publish({{"kind", "lost"},
                         {"node", w.node},
                         {"time", clock_time_now()},
                         {"meaning", "the kernel dropped events of " + w.node +
                                         " that came faster than they were read"}});
        }
        if (Clock::now() >= next_poll) {
            next_poll = Clock::now() + kRefusalPoll;
            reload_if_changed();
            poll_refusals();
        }
    }
}

void LabMonitor::reload_if_changed() {
    long long stamp = state_stamp(name_);
    if (stamp == state_stamp_) return;
    state_stamp_ = stamp;
    try {
        LoadedLab now = load_live_lab(name_);
        AddressBook names = address_book(now.lab);
        auto next = std::make_shared<const Snapshot>(Snapshot{std::move(now), std::move(names)});
        std::lock_guard lock(mutex_);
        snapshot_ = std::move(next);
    } catch (const std::exception&) {
        return;  // the lab is being cleaned: the page keeps the last view
    }
    publish({{"kind", "lab"}, {"time", clock_time_now()}});
}

void LabMonitor::poll_refusals() {
    if (watched_.size() > kMostPolledNats) return;
    for (auto& w : watched_) {
        std::optional<NatNode> nat;
        if (const LabNode* node = snapshot()->loaded.lab.find_node(w->node)) nat = node->nat;
        if (!nat) continue;
        std::optional<PortUsage> usage;
        try {
            NetnsGuard guard(w->netns.get(), netns_name(name_, w->node));
            usage = read_port_usage(*nat);
        } catch (const std::exception&) {
            continue;
        }
        long was = w->refused;
        {
            std::lock_guard lock(mutex_);
            w->ports = usage;
            w->refused = usage ? usage->refused : -1;
        }
        if (usage && was >= 0 && usage->refused > was) {
            long fresh = usage->refused - was;
            publish(
                {{"kind", "refused"},
                 {"node", w->node},
                 {"time", clock_time_now()},
                 {"refused", fresh},
                 {"meaning", std::to_string(fresh) + " new flow" + (fresh == 1 ? "" : "s") +
                                 " dropped at " + w->node + ": " + describe_port_usage(*usage)}});
        }
    }
}

json LabMonitor::view() {
    auto snap = snapshot();
    const Lab& lab = snap->loaded.lab;
    // The flows and port usage of each NAT, copied under the lock; the rest
    // is built without it, so events go on being read meanwhile.
    struct NatNow {
        const Watched* watched;
        std::vector<ConntrackFlow> flows;
        std::optional<PortUsage> ports;
    };
    std::vector<NatNow> now;
    {
        std::lock_guard lock(mutex_);
        const auto at = Clock::now();
        for (const auto& w : watched_) now.push_back({w.get(), w->table.flows(at), w->ports});
    }
    json out = lab_view_json(lab);
    json nats = json::object();
    for (const auto& [w, flows, ports] : now) {
        const LabNode* node = lab.find_node(w->node);
        if (!node || !node->nat) continue;
        const NatNode& nat = *node->nat;
        json rows = json::array(), leases = json::array();
        // Naming peers walks the whole lab: only for a NAT that has something to name.
        if (!flows.empty() || !nat.behaviour.port_mapping.empty()) {
            PeerNames names(lab, w->node);
            rows = mapping_table_json(mapping_table(flows, {}, nat.behaviour), names);
            if (nat.ipv6)
                for (auto& row :
                     mapping_table_json(ipv6_mapping_table(flows, {}, *nat.ipv6), names))
                    rows.push_back(row);
            if (!nat.behaviour.port_mapping.empty())
                for (const auto& lease : read_port_mapping_leases(name_, w->node))
                    leases.push_back(describe_lease(
                        lease, nat.external_address,
                        names.inside_node(lease.internal.ip).value_or(""), std::time(nullptr)));
        }
        const std::size_t more = rows.size() > kMostRowsShown ? rows.size() - kMostRowsShown : 0;
        if (more) rows.erase(rows.begin() + kMostRowsShown, rows.end());
        nats[w->node] = {{"behaviour", behaviour_words(nat.behaviour)},
                         {"mappings", rows},
                         {"more_mappings", more},
                         {"flows", flows.size()},
                         {"ports", ports ? port_usage_json(*ports) : json(nullptr)},
                         {"port_mapping_leases", leases}};
    }
    out["nats"] = nats;
    json dhcp = json::array();
    for (const auto& lease : read_dhcp_leases(lab)) dhcp.push_back(lease_json(lease));
    out["dhcp_leases"] = dhcp;
    out["events_seen"] = seen_.load();
    return out;
}

json LabMonitor::traffic() {
    // Only NATs with flows have anything to count: an idle large lab costs
    // no namespace switch. The dumps happen without the lock.
    std::vector<const Watched*> busy;
    {
        std::lock_guard lock(mutex_);
        for (const auto& w : watched_)
            if (w->table.size()) busy.push_back(w.get());
    }
    std::vector<NatFlows> nats;
    for (const Watched* w : busy) {
        NetnsGuard guard(w->netns.get(), netns_name(name_, w->node));
        nats.push_back(
            {w->node, ConntrackSocket().dump("reading the conntrack table of " + w->node)});
    }
    return traffic_json(lab_traffic(snapshot()->loaded.lab, nats));
}

}  // namespace natlab
