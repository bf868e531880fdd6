#include "core/status/compare.hpp"

#include <algorithm>

#include "core/condition/describe_condition.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/names/netns_etc.hpp"
#include "core/names/netns_name.hpp"
#include "core/names/paths.hpp"
#include "core/portmap/port_mapping_service.hpp"
#include "core/status/rules_difference.hpp"
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
        if (node_.container) j["container"] = container(snap->container);
        if (node_.nat && !node_.nat->behaviour.port_mapping.empty())
            j["port_mapping"] = port_mapping(snap->port_mapping);
        if (node_.nat && snap->rules) j["rules_as_declared"] = nat_rules(*snap->rules);
        if (snap->names) j["names"] = names(*snap->names);
        return j;
    }

  private:
    const Lab& lab_;
    const LabRecord& record_;
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
                if (a.ifindex == link->index && !a.address.address.is_ipv6_link_local())
                    addrs.push_back(a.address.str());
            }
            for (const auto& want : planned.addresses)
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

    json routes(const NetnsSnapshot& snap) {
        json out = json::array();
        for (const auto& r : snap.routes) {
            if (!r.gateway) continue;  // connected routes follow from the addresses
            out.push_back({{"destination", r.destination.str()},
                           {"gateway", r.gateway->str()},
                           {"text", route_text(r)}});
            bool declared =
                std::any_of(node_.routes.begin(), node_.routes.end(), [&](const auto& w) {
                    return w.destination == r.destination && w.gateway == *r.gateway;
                });
            if (!declared)
                problems_.push_back(node_.name +
                                    " has a route the topology does not declare: " + route_text(r));
        }
        for (const auto& want : node_.routes) {
            if (through_a_downed_interface(want.gateway)) continue;  // the kernel dropped it
            bool present = std::any_of(snap.routes.begin(), snap.routes.end(), [&](const auto& r) {
                return r.destination == want.destination && r.gateway == want.gateway;
            });
            if (!present)
                problems_.push_back(node_.name + " lacks its route to " + want.destination.str());
        }
        return out;
    }

    bool through_a_downed_interface(const IpAddress& gateway) const {
        for (const auto& i : node_.interfaces)
            if (i.down)
                for (const auto& a : i.addresses)
                    if (a.network().contains(gateway)) return true;
        return false;
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
        json j = {{"names", node_names(lab_, node_)},
                  {"addresses", addresses},
                  {"files", lab_etc_dir(lab_.name)},
                  {"in_place", in_place}};
        if (live.netns_etc) j["netns_etc"] = netns_etc_path(netns);
        std::string fix = "; 'natlab create --replace " + record_.source + "' writes them again";
        if (!live.files)
            problems_.push_back("the names of " + node_.name + " are missing: " +
                                lab_etc_dir(lab_.name) + " lacks its hosts or resolv.conf" + fix);
        else if (live.netns_etc && !*live.netns_etc)
            problems_.push_back(netns_etc_path(netns) + " is not natlab's link to the names of " +
                                node_.name + ", so 'ip netns exec " + netns +
                                "' does not see them" + fix);
        return j;
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

std::string route_text(const RouteInfo& r) {
    std::string dest = r.destination.prefix == 0 ? "default" : r.destination.str();
    return dest + (r.gateway ? " via " + r.gateway->str() : "");
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
