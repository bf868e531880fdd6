#include "core/lifecycle/live_changes.hpp"

#include <algorithm>
#include <sstream>

#include "core/condition/validate_condition.hpp"
#include "core/topology/load.hpp"
#include "core/topology/node_interface.hpp"
#include "core/topology/validate.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

void set_sender(Lab& lab, const std::string& node, const std::string& ifname,
                const LinkCondition& c) {
    for (auto& l : lab.links) {
        if (l.node_a == node && l.interface_a == ifname) l.a_sends = c;
        if (l.node_b == node && l.interface_b == ifname) l.b_sends = c;
    }
}

NodeSpec* find_node_spec(Topology& topo, const std::string& name) {
    for (auto& n : topo.nodes)
        if (n.name.value == name) return &n;
    return nullptr;
}

// `address=A` (or `address.IFACE=A` among several outsides) over the NAT's
// outside link endpoint: its IPv4 address becomes A, with the link subnet's
// prefix (as one written without a prefix).
void apply_address(Topology& topo, const NodeSpec& nat, const std::string& key,
                   const std::string& value, std::vector<std::string>& problems) {
    const std::string node = quote(nat.name.value);
    std::vector<std::string> outsides;
    for (const auto& o : nat.outside) outsides.push_back(o.value);
    if (outsides.empty()) return;  // the lab's check says what is wrong
    std::string ifname = key == kAddressKey ? outsides.front() : key.substr(key.find('.') + 1);
    if (key == kAddressKey && outsides.size() > 1) {
        std::vector<std::string> forms;
        for (const auto& o : outsides)
            forms.push_back(std::string(kAddressKey) + "." + o + "=" + value);
        problems.push_back("nat node " + node + " has " + std::to_string(outsides.size()) +
                           " outside interfaces (" + join(outsides, ", ") +
                           "); name the one whose address changes: " + join(forms, " or "));
        return;
    }
    if (std::find(outsides.begin(), outsides.end(), ifname) == outsides.end()) {
        problems.push_back(quote(key) + ": " + quote(ifname) + " is not an outside interface of " +
                           "nat node " + node +
                           "; its outside interfaces: " + join(outsides, ", "));
        return;
    }
    auto ip = IpAddress::parse(value);
    if (!ip || ip->family != Family::ipv4) {
        problems.push_back("address " + quote(value) + " of nat node " + node +
                           " is not an IPv4 address; write the new external address, e.g. " + key +
                           "=100.64.1.50");
        return;
    }
    for (auto& link : topo.links)
        for (auto& end : link.endpoints) {
            if (end.node.value != nat.name.value || end.interface.value != ifname) continue;
            std::erase_if(end.addresses,
                          [](const AddressSpec& a) { return a.address.family == Family::ipv4; });
            end.addresses.insert(end.addresses.begin(), AddressSpec{*ip, std::nullopt, {}});
        }
}

// All of one NAT's settings: the address on its outside link, the rest on
// its nat keys.
void apply_nat_change(Topology& topo, NodeSpec& node, const NatSettings& settings,
                      std::vector<std::string>& problems) {
    for (const auto& [key, value] : settings)
        if (is_address_key(key)) apply_address(topo, node, key, value, problems);
    apply_nat_settings(node.nat, settings, problems);
}

// The journal's NAT keys over the file's. natlab wrote them, after checking
// them: a problem now would be a journal edited by hand, and the lab's
// check that follows reports what it makes wrong.
void apply_nat_changes(Topology& topo, const std::vector<LiveChange>& changes,
                       std::vector<std::string>& problems) {
    for (const auto& change : changes)
        if (NodeSpec* node = change.nat ? find_node_spec(topo, change.node) : nullptr)
            apply_nat_change(topo, *node, nat_settings_of_words(*change.nat), problems);
}

// The journal's DHCP keys over the file's, checked with the lab after.
void apply_dhcp_changes(Topology& topo, const std::vector<LiveChange>& changes,
                        std::vector<std::string>& problems) {
    for (const auto& change : changes)
        if (NodeSpec* node = change.dhcp ? find_node_spec(topo, change.node) : nullptr)
            apply_dhcp_settings(node->dhcp, node->name.value, dhcp_settings_of_words(*change.dhcp),
                                problems);
}

// The journal's conditions, parsed as apply_live_changes will.
void check_condition_changes(const std::vector<LiveChange>& changes,
                             std::vector<std::string>& problems) {
    for (const auto& change : changes)
        if (change.condition)
            apply_condition_settings({}, settings_of_words(*change.condition), problems);
}

// An address given to the NAT that another node was given when the lab was
// made would renumber that node in the plan: refused, not done.
void renumbered_others(const Lab& before, const Lab& after, const std::string& nat,
                       std::vector<std::string>& problems) {
    for (const auto& node : before.nodes) {
        if (node.name == nat) continue;
        const LabNode* now = after.find_node(node.name);
        for (const auto& iface : node.interfaces) {
            const LabInterface* then = now ? now->find_interface(iface.name) : nullptr;
            if (then && then->addresses == iface.addresses) continue;
            std::vector<std::string> held;
            for (const auto& a : iface.addresses) held.push_back(a.str());
            problems.push_back("that address is " + NodeInterface{node.name, iface.name}.str() +
                               "'s (" + join(held, ", ") +
                               "); choose one no node of the lab holds");
        }
    }
}

}  // namespace

void apply_live_changes(Lab& lab, const std::vector<LiveChange>& changes) {
    for (const auto& change : changes) {
        for (auto& node : lab.nodes) {
            if (node.name != change.node) continue;
            for (auto& iface : node.interfaces) {
                if (iface.name != change.ifname) continue;
                if (change.up) iface.down = !*change.up;
                if (change.condition) {
                    std::vector<std::string> problems;  // told by load_changed_lab
                    iface.condition = apply_condition_settings(
                        {}, settings_of_words(*change.condition), problems);
                    set_sender(lab, node.name, iface.name, iface.condition);
                }
            }
        }
    }
}

LoadedLab load_changed_lab(const std::string& text, const std::string& source,
                           const std::string& lab, const std::vector<LiveChange>& changes) {
    Diagnostics diag(source);
    Topology topo = load_topology(text, source, diag);
    std::vector<std::string> problems;
    apply_nat_changes(topo, changes, problems);
    apply_dhcp_changes(topo, changes, problems);
    check_condition_changes(changes, problems);
    for (const auto& p : problems) diag.error({}, "in the lab's journal of changes: " + p);
    LoadedLab loaded = plan_topology(topo, text, diag, lab);
    apply_live_changes(loaded.lab, changes);
    return loaded;
}

std::vector<std::string> nat_settings_problems(const std::string& text, const std::string& source,
                                               const std::string& lab,
                                               const std::vector<LiveChange>& changes,
                                               const std::string& nat,
                                               const NatSettings& settings) {
    Diagnostics diag(source);
    Topology topo = load_topology(text, source, diag);
    topo.name.value = lab;
    std::vector<std::string> problems;
    apply_nat_changes(topo, changes, problems);
    NodeSpec* node = find_node_spec(topo, nat);
    if (!node) return {"lab " + lab + " has no node " + nat};
    Diagnostics before_diag(source);
    std::optional<Lab> before = validate(topo, before_diag);
    apply_nat_change(topo, *node, settings, problems);
    if (!problems.empty()) return problems;
    Diagnostics checked(source);
    std::optional<Lab> after = validate(topo, checked);
    if (!checked.empty()) return checked.messages();
    if (before && after) renumbered_others(*before, *after, nat, problems);
    return problems;
}

std::vector<std::string> dhcp_settings_problems(const std::string& text, const std::string& source,
                                                const std::string& lab,
                                                const std::vector<LiveChange>& changes,
                                                const std::string& node,
                                                const DhcpSettings& settings) {
    Diagnostics diag(source);
    Topology topo = load_topology(text, source, diag);
    topo.name.value = lab;
    std::vector<std::string> problems;
    apply_nat_changes(topo, changes, problems);
    apply_dhcp_changes(topo, changes, problems);
    NodeSpec* spec = find_node_spec(topo, node);
    if (!spec) return {"lab " + lab + " has no node " + node};
    apply_dhcp_settings(spec->dhcp, node, settings, problems);
    if (!problems.empty()) return problems;
    Diagnostics checked(source);
    validate(topo, checked);
    return checked.messages();
}

std::string change_command(const std::string& lab, const PendingChange& pending) {
    const LiveChange& c = pending.change;
    if (c.dhcp) {
        std::string command = "natlab set " + lab + " " + c.node;
        for (const auto& [key, value] : dhcp_settings_of_words(*c.dhcp))
            command += " " + std::string(kDhcpKeyPrefix) + key + "=" + value;
        return command;
    }
    if (c.nat)
        return "natlab set " + lab + " " + c.node + " " + *c.nat +
               (pending.drop_bindings ? " --bindings drop" : "");
    const std::string end = NodeInterface{c.node, c.ifname}.str();
    if (c.up) return "natlab link " + lab + " " + end + (*c.up ? " up" : " down");
    // A condition's words are key-value pairs: "delay 40ms loss 1%".
    std::string command = "natlab set " + lab + " " + end + " --clear";
    std::istringstream words(c.condition.value_or(""));
    for (std::string key, value; words >> key >> value;) command += " " + key + "=" + value;
    return command;
}

}  // namespace natlab
