#include "core/lifecycle/lab_description.hpp"

#include <cctype>
#include <map>
#include <optional>

#include "core/condition/describe_condition.hpp"
#include "core/hostnames/dns_daemon.hpp"
#include "core/hostnames/hosts_file.hpp"
#include "core/hostnames/lab_resolver.hpp"
#include "core/names/paths.hpp"
#include "core/plan/plan.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/json.hpp"

namespace natlab {
namespace {

using nlohmann::json;

std::optional<IpAddress> first_address(const LabInterface& iface, Family family) {
    for (const auto& a : iface.addresses)
        if (a.address.family == family && !a.address.is_ipv6_link_local()) return a.address;
    return std::nullopt;
}

// The address a peer would use for the node: a NAT's public (outside) address,
// otherwise the first one in interface order.
std::optional<IpAddress> main_address(const LabNode& node, Family family) {
    if (node.nat)
        if (auto a = first_address(*node.find_interface(node.nat->outside), family)) return a;
    for (const auto& iface : node.interfaces)
        if (auto a = first_address(iface, family)) return a;
    return std::nullopt;
}

json interface_json(const LabInterface& iface) {
    json v4 = json::array(), v6 = json::array();
    for (const auto& a : iface.addresses)
        (a.address.family == Family::ipv4 ? v4 : v6).push_back(a.str());
    json j = {{"ipv4", v4}, {"ipv6", v6}};
    if (!iface.condition.empty()) j["condition"] = condition_json(iface.condition);
    // Its IPv4 address is the lease it holds (in ipv4 once it has one).
    if (!iface.dhcp_server.empty())
        j["dhcp"] = {{"server", iface.dhcp_server},
                     {"lease", iface.lease ? lease_json(*iface.lease) : json(nullptr)}};
    return j;
}

json nat_json(const NatNode& node) {
    const NatBehaviour& nat = node.behaviour;
    json j = {{"type", nat.type ? json(name_of(*nat.type)) : json(nullptr)},
              {"mapping", name_of(nat.mf.mapping)},
              {"filtering", name_of(nat.mf.filtering)},
              {"outside", node.outside}};
    // Where an IPv6-only host finds an IPv4 address: PREFIX followed by it.
    if (node.nat64)
        j["nat64"] = {{"prefix", node.nat64->prefix.str()}, {"pool", node.nat64->pool.str()}};
    return j;
}

json node_json(const Lab& lab, const LabNode& node) {
    json interfaces = json::object();
    for (const auto& iface : node.interfaces) interfaces[iface.name] = interface_json(iface);
    json j = {{"kind", name_of(node.kind)},
              {"netns", netns_name(lab.name, node.name)},
              {"ipv4", or_null(main_address(node, Family::ipv4))},
              {"ipv6", or_null(main_address(node, Family::ipv6))},
              {"interfaces", interfaces},
              {"names", node_names(lab, node)},
              {"env_prefix", "NATLAB_NODE_" + env_name_part(node.name) + "_"}};
    if (node.nat) j["nat"] = nat_json(*node.nat);
    if (node.container) {
        j["container"] = {{"machine", netns_name(lab.name, node.name)},
                          {"root", node.container->root},
                          {"boot", node.container->boot}};
    }
    return j;
}

// Collects variables, refusing a second meaning for a name.
class EnvironmentBuilder {
  public:
    void add(const std::string& name, const std::string& value, const std::string& meaning) {
        auto [it, fresh] = meanings_.emplace(name, meaning);
        if (!fresh) {
            throw InvalidInput("natlab: " + name + " would stand for both " + it->second + " and " +
                               meaning +
                               "; rename one of them (in variable names every character "
                               "other than a letter or digit becomes '_')");
        }
        env_.emplace_back(name, value);
    }
    void add_address(const std::string& prefix, const std::optional<IpAddress>& ipv4,
                     const std::optional<IpAddress>& ipv6, const std::string& meaning) {
        if (ipv4) add(prefix + "_IPV4", ipv4->str(), meaning);
        if (ipv6) add(prefix + "_IPV6", ipv6->str(), meaning);
    }
    Environment take() { return std::move(env_); }

  private:
    Environment env_;
    std::map<std::string, std::string> meanings_;
};

}  // namespace

std::string env_name_part(const std::string& name) {
    std::string out;
    for (unsigned char c : name) out += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
    return out;
}

json describe_lab(const Lab& lab, const DescriptionContext& context) {
    json nodes = json::object();
    for (const auto& node : lab.nodes) nodes[node.name] = node_json(lab, node);
    // Every node resolves every node's names through these (core/hostnames).
    // With a DNS server each node has files of its own (etc/NODE/) and asks
    // the server at the addresses it reaches.
    json names = {{"domain", lab.name},
                  {"hosts", lab_hosts_path(lab.name)},
                  {"resolv_conf", lab_resolv_conf_path(lab.name)},
                  {"dns", nullptr}};
    if (lab.dns) {
        json records = json::object();
        for (const auto& r : lab.dns->records) {
            json addresses = json::array();
            for (const auto& a : r.addresses) addresses.push_back(a.str());
            records[r.name] = addresses;
        }
        json listen = json::array();
        for (const auto& a : dns_listen_addresses(lab)) listen.push_back(a.str());
        names["hosts"] = lab_etc_dir(lab.name) + "/NODE/hosts";
        names["resolv_conf"] = lab_etc_dir(lab.name) + "/NODE/resolv.conf";
        names["dns"] = {{"node", lab.dns->node},
                        {"program", kDnsProgram},
                        {"addresses", listen},
                        {"dns64", lab.dns->dns64 ? json(lab.dns->dns64->str()) : json(nullptr)},
                        {"records", records}};
        for (const auto& node : lab.nodes) {
            json servers = json::array();
            for (const auto& a : resolver_addresses(lab, node)) servers.push_back(a.str());
            nodes[node.name]["resolvers"] = servers;
        }
    }
    return {{"version", kDescriptionVersion},
            {"lab", lab.name},
            {"source", context.source},
            {"natlab", context.natlab},
            {"rootless", context.rootless},
            {"names", names},
            {"nodes", nodes}};
}

Environment lab_environment(const Lab& lab, const DescriptionContext& context) {
    EnvironmentBuilder env;
    std::string names;
    for (const auto& node : lab.nodes) names += (names.empty() ? "" : " ") + node.name;
    env.add("NATLAB_LAB", lab.name, "the lab");
    env.add("NATLAB_LAB_JSON", context.description, "the description file");
    env.add("NATLAB_BIN", context.natlab, "natlab itself");
    env.add("NATLAB_ROOTLESS", context.rootless ? "1" : "0", "rootless mode");
    env.add("NATLAB_NODES", names, "the node list");
    for (const auto& node : lab.nodes) {
        std::string prefix = "NATLAB_NODE_" + env_name_part(node.name);
        std::string meaning = "node " + node.name;
        env.add(prefix + "_NETNS", netns_name(lab.name, node.name), meaning);
        env.add(prefix + "_KIND", name_of(node.kind), meaning);
        env.add_address(prefix, main_address(node, Family::ipv4), main_address(node, Family::ipv6),
                        meaning);
        for (const auto& iface : node.interfaces) {
            env.add_address(prefix + "_" + env_name_part(iface.name),
                            first_address(iface, Family::ipv4), first_address(iface, Family::ipv6),
                            meaning + " interface " + iface.name);
            if (!iface.condition.empty())
                env.add(prefix + "_" + env_name_part(iface.name) + "_CONDITION",
                        describe_condition(iface.condition),
                        meaning + " interface " + iface.name + "'s condition");
        }
    }
    return env.take();
}

}  // namespace natlab
