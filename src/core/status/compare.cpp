#include "core/status/compare.hpp"

#include <algorithm>

#include "core/condition/describe_condition.hpp"
#include "core/dhcp/dhcp_client.hpp"
#include "core/dhcp/dnsmasq_config.hpp"
#include "core/dhcp/lease_time.hpp"
#include "core/hostnames/dns_daemon.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/names/netns_etc.hpp"
#include "core/names/netns_name.hpp"
#include "core/names/paths.hpp"
#include "core/nat/ipv6_classes.hpp"
#include "core/portmap/port_mapping_service.hpp"
#include "core/status/rules_difference.hpp"
#include "core/switch/port_security.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

using nlohmann::json;

std::string or_none(const std::string& condition) {
    return condition.empty() ? "no conditions" : condition;
}

class NodeComparison {
  public:
    NodeComparison(const Lab& lab, const LabRecord& record, const LabNode& node,
                   std::vector<std::string>& problems)
        : lab_(lab), record_(record), node_(node), problems_(problems) {}

    json compare(const NodeSnapshot* snap) {
        std::string netns = netns_name(lab_.name, node_.name);
        json j = {{"name", node_.name},
                  {"kind", name_of(node_.kind)},
                  {"netns", netns},
                  {"exists", snap && snap->netns.exists}};
        if (!snap || !snap->netns.exists) {
            problems_.push_back("namespace " + netns + " is missing");
            return j;
        }
        j["interfaces"] = interfaces(snap->netns);
        j["routes"] = routes(snap->netns);
        if (!node_.nd_proxy.empty() || !snap->netns.proxy_neighbours.empty())
            j["nd_proxy"] = nd_proxy(snap->netns);
        if (node_.container) j["container"] = container(snap->container);
        if (node_.nat && !node_.nat->behaviour.port_mapping.empty())
            j["port_mapping"] = port_mapping(snap->port_mapping);
        if (node_.nat) j["nat"] = nat_words(*node_.nat);
        if (node_.nat && node_.nat->nat64) j["nat64"] = nat64(snap->port_mapping);
        if (!node_.ra.empty()) j["ra"] = router_adverts(snap->port_mapping);
        if (node_.nat && snap->rules) j["rules_as_declared"] = nat_rules(*snap->rules);
        if (snap->names) j["names"] = names(*snap->names);
        if (lab_.dns && lab_.dns->node == node_.name) j["dns"] = dns_server(snap->programs);
        if (!node_.port_security.empty()) j["port_security"] = port_security(snap->port_drops);
        if (!node_.dhcp.empty()) j["dhcp_server"] = dhcp_server(snap->programs);
        json clients = dhcp_clients(snap->programs);
        if (!clients.empty()) j["dhcp"] = clients;
        return j;
    }

  private:
    const Lab& lab_;
    const LabRecord& record_;

    // What the NAT declares, both families: the rules compared below are these.
    static json nat_words(const NatNode& nat) {
        json ipv6 = nullptr;
        if (nat.ipv6) {
            ipv6 = {{"mode", name_of(nat.ipv6->mode)}, {"name", ipv6_side_name(*nat.ipv6)}};
            if (ipv6_filters(*nat.ipv6))
                ipv6["filtering"] = name_of(ipv6_effective_behaviour(*nat.ipv6).mf.filtering);
        }
        return {{"behaviour", behaviour_name(nat.behaviour)}, {"ipv6", ipv6}};
    }
    const LabNode& node_;
    std::vector<std::string>& problems_;

    std::string where(const std::string& ifname) const {
        return NodeInterface{node_.name, ifname}.str();
    }

    json interfaces(const NetnsSnapshot& snap) {
        json out = json::array();
        for (const auto& planned : node_.interfaces) {
            auto link = std::find_if(snap.links.begin(), snap.links.end(),
                                     [&](const LinkInfo& l) { return l.name == planned.name; });
            if (link == snap.links.end()) {
                problems_.push_back(where(planned.name) + " is missing");
                continue;
            }
            json addrs = json::array();
            for (const auto& a : snap.addresses) {
                // The kernel adds IPv6 link-local addresses itself; only planned ones matter.
                bool planned_link_local = planned.link_local && a.address == *planned.link_local;
                if (a.ifindex == link->index &&
                    (!a.address.address.is_ipv6_link_local() || planned_link_local))
                    addrs.push_back(a.address.str());
            }
            std::vector<Cidr> wanted = planned.addresses;
            if (planned.link_local) wanted.push_back(*planned.link_local);
            for (const auto& want : wanted)
                if (std::find(addrs.begin(), addrs.end(), want.str()) == addrs.end())
                    problems_.push_back(where(planned.name) + " lacks " + want.str());
            if (!link->up && !planned.down) problems_.push_back(where(planned.name) + " is down");
            if (link->up && planned.down)
                problems_.push_back(where(planned.name) +
                                    " is up, though 'natlab link' took it down");
            json entry = {
                {"name", link->name}, {"up", link->up}, {"mtu", link->mtu}, {"addresses", addrs}};
            if (!link->condition.empty()) entry["condition"] = condition_json(link->condition);
            if (!holds(link->condition, planned.condition))
                problems_.push_back(where(planned.name) + " sends with " +
                                    or_none(describe_condition(link->condition)) +
                                    " where the topology says " +
                                    or_none(describe_condition(planned.condition)));
            out.push_back(entry);
        }
        return out;
    }

    static std::string name_of_index(const NetnsSnapshot& snap, int index) {
        for (const auto& l : snap.links)
            if (l.index == index) return l.name;
        return "";
    }

    static bool same(const LabRoute& want, const RouteInfo& r, const std::string& device) {
        return want.destination == r.destination && want.gateway == r.gateway &&
               (want.device.empty() || want.device == device);
    }

    // A SLAAC interface's default route through the advertising router's
    // link-local address: the router's advertisements make it.
    bool from_advertisements(const RouteInfo& r, const std::string& device) const {
        const LabInterface* i = node_.find_interface(device);
        return i && i->slaac && r.gateway && r.gateway->is_ipv6_link_local();
    }

    json routes(const NetnsSnapshot& snap) {
        json out = json::array();
        for (const auto& r : snap.routes) {
            // Connected routes follow from the addresses.
            if (!r.gateway && !r.on_link_added) continue;
            std::string device = name_of_index(snap, r.ifindex);
            json entry = {{"destination", r.destination.str()}, {"text", route_text(r, device)}};
            if (r.gateway) entry["gateway"] = r.gateway->str();
            if (!device.empty()) entry["device"] = device;
            out.push_back(entry);
            bool declared = std::any_of(node_.routes.begin(), node_.routes.end(),
                                        [&](const auto& w) { return same(w, r, device); }) ||
                            from_advertisements(r, device);
            if (!declared)
                problems_.push_back(node_.name + " has a route the topology does not declare: " +
                                    route_text(r, device));
        }
        for (const auto& want : node_.routes) {
            if (through_a_downed_interface(want)) continue;  // the kernel dropped it
            bool present = std::any_of(snap.routes.begin(), snap.routes.end(), [&](const auto& r) {
                return same(want, r, name_of_index(snap, r.ifindex));
            });
            if (!present)
                problems_.push_back(node_.name + " lacks its route to " + want.destination.str());
        }
        return out;
    }

    bool down(const std::string& ifname) const {
        const LabInterface* i = node_.find_interface(ifname);
        return i && i->down;
    }

    bool through_a_downed_interface(const LabRoute& route) const {
        if (!route.device.empty()) return down(route.device);
        if (!route.gateway) return false;
        for (const auto& i : node_.interfaces)
            if (i.down)
                for (const auto& a : i.addresses)
                    if (a.network().contains(*route.gateway)) return true;
        return false;
    }

    // The neighbour solicitations the node answers for hosts behind it: the
    // kernel drops an interface's entries when it goes down.
    json nd_proxy(const NetnsSnapshot& snap) {
        json out = json::array();
        for (const auto& p : snap.proxy_neighbours) {
            std::string ifname = name_of_index(snap, p.ifindex);
            out.push_back({{"interface", ifname}, {"address", p.address.str()}});
            if (std::find(node_.nd_proxy.begin(), node_.nd_proxy.end(),
                          ProxyNeighbour{ifname, p.address}) == node_.nd_proxy.end())
                problems_.push_back(where(ifname) + " answers neighbour solicitations for " +
                                    p.address.str() + ", which the topology does not declare");
        }
        for (const auto& want : node_.nd_proxy) {
            if (down(want.interface)) continue;
            bool present = std::any_of(snap.proxy_neighbours.begin(), snap.proxy_neighbours.end(),
                                       [&](const auto& p) {
                                           return p.address == want.address &&
                                                  name_of_index(snap, p.ifindex) == want.interface;
                                       });
            if (!present)
                problems_.push_back(where(want.interface) +
                                    " does not answer neighbour solicitations for " +
                                    want.address.str() + " (its proxy entry is missing)");
        }
        return out;
    }

    // Whether `program` runs in the node's namespace; a problem naming its log if not.
    bool running(const std::optional<PortMappingSnapshot>& live, const std::string& program,
                 const std::string& service, const std::string& log) {
        bool on = live && std::find(live->programs.begin(), live->programs.end(), program) !=
                              live->programs.end();
        if (!on)
            problems_.push_back("the " + service + " of " + node_.name + ": " + program +
                                " is not running; see " + log);
        return on;
    }

    json nat64(const std::optional<PortMappingSnapshot>& live) {
        const Nat64Side& n = *node_.nat->nat64;
        std::string log = nat64_file(lab_.name, node_.name, ".log");
        return {{"prefix", n.prefix.str()},
                {"pool", n.pool.str()},
                {"device", kNat64Device},
                {"log", log},
                {"tayga", running(live, "tayga", "NAT64 translator", log)}};
    }

    json router_adverts(const std::optional<PortMappingSnapshot>& live) {
        std::string log = ra_file(lab_.name, node_.name, ".log");
        json interfaces = json::array();
        for (const auto& ra : node_.ra) {
            json prefixes = json::array();
            for (const auto& p : ra.prefixes) prefixes.push_back(p.str());
            interfaces.push_back({{"interface", ra.interface}, {"prefixes", prefixes}});
        }
        return {{"interfaces", interfaces},
                {"log", log},
                {"radvd", running(live, "radvd", "router advertisements", log)}};
    }

    json port_mapping(const std::optional<PortMappingSnapshot>& live) {
        std::string log = port_mapping_file(lab_.name, node_.name, ".log");
        json j = {{"log", log}};
        for (const auto& p : kPortMappingPrograms) {
            const std::string program = p.name;
            bool running = live && std::find(live->programs.begin(), live->programs.end(),
                                             program) != live->programs.end();
            j[program] = running;
            if (!running)
                problems_.push_back("the port-mapping service of " + node_.name + ": " + program +
                                    " is not running; see " + log);
        }
        return j;
    }

    // The lab's DNS server, which runs on this node.
    // Each port's policies and, for each it rejects, how many frames the
    // kernel dropped (null: the switch's table is missing).
    json port_security(const std::optional<std::map<std::string, std::uint64_t>>& drops) {
        auto counted = [&](const std::string& name) -> json {
            if (!drops) return nullptr;
            auto it = drops->find(name);
            return it == drops->end() ? json(nullptr) : json(it->second);
        };
        json ports = json::array();
        for (const auto& p : node_.port_security) {
            json port = {{"port", p.port},
                         {"host", p.host},
                         {"mac", p.mac.str()},
                         {"forged_transmits", p.reject_forged_transmits ? "reject" : "accept"},
                         {"mac_changes", p.reject_mac_changes ? "reject" : "accept"},
                         {"promiscuous", p.accept_promiscuous ? "accept" : "reject"}};
            if (p.reject_forged_transmits)
                port["forged_dropped"] = counted(port_security_counter("forged", p.port));
            if (p.reject_mac_changes)
                port["changed_dropped"] = counted(port_security_counter("changed", p.port));
            ports.push_back(port);
        }
        return ports;
    }

    json dns_server(const std::optional<std::vector<std::string>>& programs) {
        const std::string log = dns_daemon(lab_).log;
        bool running = programs && std::find(programs->begin(), programs->end(), kDnsProgram) !=
                                       programs->end();
        json addresses = json::array();
        for (const auto& a : dns_listen_addresses(lab_)) addresses.push_back(a.str());
        json j = {{"program", kDnsProgram},
                  {"running", running},
                  {"addresses", addresses},
                  {"dns64", lab_.dns->dns64 ? json(lab_.dns->dns64->str()) : json(nullptr)},
                  {"records", lab_.dns->records.size()},
                  {"log", log}};
        if (!running)
            problems_.push_back("the DNS server of lab " + lab_.name + " (" + kDnsProgram + " on " +
                                node_.name + ") is not running, so no name resolves; see " + log +
                                ", and 'natlab create --replace " + record_.source +
                                "' starts it again");
        return j;
    }

    // The unfinished change, when it is this NAT's.
    const UnfinishedChange* unfinished_here() const {
        const auto& u = record_.unfinished;
        return u && u->nat && u->node == node_.name ? &*u : nullptr;
    }

    // True when the NAT runs its declared rules.
    bool nat_rules(const NatRulesSnapshot& rules) {
        const std::string fix = "'natlab rules " + lab_.name + " " + node_.name + " --reload'";
        std::vector<std::string> differences = rules_differences(rules.declared, rules.live);
        const UnfinishedChange* unfinished = unfinished_here();
        if (unfinished && unfinished->running_pid) return differences.empty();  // told once
        if (unfinished) {
            std::string runs = node_.name + " still runs the old rules";
            if (!differences.empty()) {
                std::vector<std::string> from_new =
                    rules.unfinished ? rules_differences(*rules.unfinished, rules.live)
                                     : differences;
                runs = from_new.empty()
                           ? node_.name + " runs the new rules, which the journal does not hold yet"
                           : "the rules of " + node_.name +
                                 " are neither the old nor the new ones (" + join(from_new, ", ") +
                                 ")";
            }
            problems_.push_back(quote(unfinished->command) +
                                " was begun and not finished (natlab was killed or failed "
                                "midway), and " +
                                runs + "; finish it with " + fix);
        } else if (!differences.empty()) {
            problems_.push_back("the nftables rules of " + node_.name +
                                " are not the declared ones: " + join(differences, ", ") +
                                "; put them back with " + fix);
        }
        return differences.empty();
    }

    // What the node's name resolves to, and whether its files are in place.
    json names(const NamesSnapshot& live) {
        std::string netns = netns_name(lab_.name, node_.name);
        json addresses = json::array();
        for (const auto& a : name_addresses(node_)) addresses.push_back(a.str());
        bool in_place = live.files && live.netns_etc.value_or(true);
        const std::string files =
            lab_.dns ? node_etc_dir(lab_.name, node_.name) : lab_etc_dir(lab_.name);
        json j = {{"names", node_names(lab_, node_)},
                  {"addresses", addresses},
                  {"files", files},
                  {"in_place", in_place}};
        if (live.netns_etc) j["netns_etc"] = netns_etc_path(netns);
        std::string fix = "; 'natlab create --replace " + record_.source + "' writes them again";
        if (!live.files)
            problems_.push_back("the names of " + node_.name + " are missing: " + files +
                                " lacks its hosts or resolv.conf" + fix);
        else if (live.netns_etc && !*live.netns_etc)
            problems_.push_back(netns_etc_path(netns) + " is not natlab's link to the names of " +
                                node_.name + ", so 'ip netns exec " + netns +
                                "' does not see them" + fix);
        return j;
    }

    static bool runs(const std::vector<std::string>& programs, const char* program) {
        return std::find(programs.begin(), programs.end(), program) != programs.end();
    }

    // What the node serves, and whether its dnsmasq runs.
    json dhcp_server(const std::vector<std::string>& programs) {
        std::string log = dhcp_server_file(lab_.name, node_.name, ".log");
        json served = json::array();
        for (const auto& s : node_.dhcp)
            served.push_back({{"interface", s.interface},
                              {"router", s.address.address.str()},
                              {"range", s.range.str()},
                              {"lease", format_lease(s.lease_s)}});
        bool running = runs(programs, kDhcpServerProgram);
        if (!running)
            problems_.push_back("the DHCP server of " + node_.name + ": " + kDhcpServerProgram +
                                " is not running; see " + log);
        return {{"interfaces", served},
                {"running", running},
                {"log", log},
                {"leases", dhcp_server_file(lab_.name, node_.name, ".leases")}};
    }

    // Each interface that takes its address by DHCP: its client and lease.
    json dhcp_clients(const std::vector<std::string>& programs) {
        json out = json::array();
        for (const auto& i : node_.interfaces) {
            if (i.dhcp_server.empty()) continue;
            std::string log = dhcp_client_file(lab_.name, node_.name, i.name, ".log");
            bool running = runs(programs, kDhcpClientProgram);
            out.push_back({{"interface", i.name},
                           {"server", i.dhcp_server},
                           {"running", running},
                           {"log", log},
                           {"lease", i.lease ? lease_json(*i.lease) : json(nullptr)}});
            if (!running)
                problems_.push_back("the DHCP client of " + where(i.name) + ": " +
                                    kDhcpClientProgram + " is not running; see " + log);
            else if (!i.lease)
                problems_.push_back(where(i.name) + " holds no DHCP lease; see " + log);
        }
        return out;
    }

    json container(const std::optional<ContainerSnapshot>& live) {
        std::string machine = netns_name(lab_.name, node_.name);
        std::string log = container_log(lab_.name, node_.name);
        bool running = live && live->leader_pid;
        json j = {{"machine", machine},
                  {"root", node_.container->root},
                  {"boot", node_.container->boot},
                  {"running", running},
                  {"log", log}};
        if (running)
            j["pid"] = *live->leader_pid;
        else
            problems_.push_back("container " + machine + " is not running; see " + log);
        return j;
    }
};

}  // namespace

std::string route_text(const RouteInfo& r, const std::string& device) {
    std::string dest = r.destination.prefix == 0 ? "default" : r.destination.str();
    bool needs_device = !r.gateway || r.gateway->is_ipv6_link_local();
    return dest + (r.gateway ? " via " + r.gateway->str() : "") +
           (needs_device && !device.empty() ? " dev " + device : "");
}

json compare_lab(const Lab& lab, const LabRecord& record,
                 const std::map<std::string, NodeSnapshot>& snapshots) {
    json j = {{"lab", lab.name}, {"source", record.source}, {"complete", record.complete}};
    std::vector<std::string> problems;
    if (!record.complete)
        problems.push_back(
            "its create did not finish (crashed or still running); run 'natlab "
            "clean " +
            lab.name + "'");
    if (const auto& u = record.unfinished; u && u->running_pid)
        problems.push_back("natlab (pid " + std::to_string(*u->running_pid) +
                           ") is making a change now, " + quote(u->command) +
                           "; ask again once it is done");
    else if (u && !u->nat)
        problems.push_back(quote(u->command) +
                           " was begun and not finished (natlab was killed or failed midway); "
                           "finish it by running it again");
    json nodes = json::array();
    for (const auto& node : lab.nodes) {
        auto it = snapshots.find(node.name);
        nodes.push_back(NodeComparison(lab, record, node, problems)
                            .compare(it == snapshots.end() ? nullptr : &it->second));
    }
    j["nodes"] = nodes;
    j["healthy"] = problems.empty();
    j["problems"] = problems;
    return j;
}

}  // namespace natlab
