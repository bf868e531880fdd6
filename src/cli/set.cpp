// natlab set: change what one end of a live link sends, or a live NAT's keys.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/condition/describe_condition.hpp"
#include "core/conntrack/mapping_table.hpp"
#include "core/dhcp/lease_time.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/change_dhcp.hpp"
#include "edge/use_cases/change_link.hpp"
#include "edge/use_cases/change_nat.hpp"

namespace natlab {
namespace {

struct SetOptions {
    std::string lab, target;
    std::vector<std::string> settings;
    bool clear = false;
    std::string bindings = "keep";
};

std::vector<std::pair<std::string, std::string>> parse_settings(
    const std::vector<std::string>& words) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& w : words) {
        auto eq = w.find('=');
        if (eq == std::string::npos || eq == 0)
            throw InvalidInput("natlab: '" + w +
                               "' is not KEY=VALUE; write e.g. delay=50ms loss=2% on a link end, "
                               "type=symmetric on a NAT, dhcp.lan.lease=2m on a DHCP server "
                               "(none removes a key)");
        out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
}

void set_link_end(const SetOptions& opt) {
    if (opt.settings.empty() && !opt.clear)
        throw InvalidInput("natlab: nothing to set; give KEY=VALUE settings or --clear");
    LinkCondition now =
        set_link_condition(opt.lab, opt.target, parse_settings(opt.settings), opt.clear);
    std::string words = describe_condition(now);
    std::cout << opt.target << " sends with " << (words.empty() ? "no conditions" : words) << "\n";
}

void set_nat_keys(const SetOptions& opt) {
    if (opt.clear)
        throw InvalidInput(
            "natlab: --clear is for a link end's conditions; a NAT's keys go back "
            "to the file's with KEY=none");
    if (opt.settings.empty())
        throw InvalidInput("natlab: nothing to set; give KEY=VALUE settings, e.g. type=symmetric");
    Bindings bindings = *parse_name<Bindings>(opt.bindings);
    NatNow now = set_nat(opt.lab, opt.target, parse_settings(opt.settings), bindings);
    std::vector<std::string> at;
    for (const auto& o : now.outsides)
        at.push_back(now.outsides.size() == 1 ? o.address.str()
                                              : o.address.str() + " on " + o.interface);
    const std::string first = now.outsides.front().address.str();
    std::cout << opt.target << " is " << behaviour_words(now.behaviour) << " at " << join(at, ", ")
              << "; live bindings " << (now.bindings_dropped ? "dropped" : "kept")
              << (now.service_restarted ? "; its port-mapping service now hands out " + first : "")
              << "\n";
}

// natlab set LAB NODE dhcp.IFACE.range=A-B dhcp.IFACE.lease=2m
bool dhcp_keys(const SetOptions& opt) {
    if (opt.settings.empty()) return false;
    for (const auto& w : opt.settings)
        if (!w.starts_with(kDhcpKeyPrefix)) return false;
    return true;
}

void set_dhcp_keys(const SetOptions& opt) {
    if (opt.clear)
        throw InvalidInput(
            "natlab: --clear is for a link end's conditions; a DHCP key goes back to the "
            "file's with dhcp.IFACE.KEY=none");
    DhcpSettings settings;
    for (const auto& [key, value] : parse_settings(opt.settings))
        settings.emplace_back(key.substr(std::string(kDhcpKeyPrefix).size()), value);
    for (const auto& s : set_dhcp(opt.lab, opt.target, settings))
        std::cout << opt.target << " serves DHCP on " << s.interface << ": " << s.range.str()
                  << ", lease " << format_lease(s.lease_s) << "\n";
}

void run_set(const SetOptions& opt) {
    require_root("set");
    if (!names_interface(opt.target) && dhcp_keys(opt))
        set_dhcp_keys(opt);
    else if (!names_interface(opt.target))
        set_nat_keys(opt);
    else
        set_link_end(opt);
}

}  // namespace

void register_set(CLI::App& app) {
    auto opt = std::make_shared<SetOptions>();
    auto* cmd = app.add_subcommand(
        "set",
        "Change a live lab: what one end of a link sends (delay, loss, rate...), or a NAT's "
        "keys (type, filtering, port-allocation...) (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("target", opt->target, "A sending end NODE:IFACE, or a NAT node")->required();
    cmd->add_option("settings", opt->settings,
                    "KEY=VALUE, as in the topology file: delay=50ms loss=2% on an end, "
                    "type=symmetric on a NAT; none removes a key");
    cmd->add_flag("--clear", opt->clear,
                  "A link end: start from no conditions (alone: remove them all)");
    cmd->add_option("--bindings", opt->bindings,
                    "A NAT: keep the live flows and the bindings both rule sets learn alike, or "
                    "drop them all as the new rules come in")
        ->check(CLI::IsMember({"keep", "drop"}))
        ->capture_default_str();
    cmd->footer(
        "On a link end (NODE:IFACE) the keys are a link's: delay, jitter, loss, rate, reorder,\n"
        "duplicate, corrupt, limit. Each is laid over what the end sends now; its queues are\n"
        "replaced at once. The other direction is the other end's.\n"
        "On a NAT node the keys are a nat node's: type, mapping, filtering, hairpinning,\n"
        "port-allocation, port-preservation, port-range, firewall, udp-timeout.unreplied,\n"
        "udp-timeout.established, and address (its external address, as a carrier renumbers:\n"
        "every binding is dropped, and a port-mapping service is started again to hand out the\n"
        "new address, keeping its mappings; a NAT with several outsides takes address.IFACE).\n"
        "They are laid over the file's and checked with the whole lab; the new rules replace\n"
        "the old in one transaction. With --bindings keep (the default) live flows keep their\n"
        "external ports and bindings the new rules learn alike stay; with --bindings drop every\n"
        "flow and binding is forgotten, as if the NAT rebooted.\n"
        "On a router or NAT that serves DHCP the keys are dhcp.IFACE.range (FIRST-LAST) and\n"
        "dhcp.IFACE.lease (2m to 7d): its dnsmasq starts again with the new pool and keeps\n"
        "its leases. A client keeps its address until its next renewal (at half the lease);\n"
        "one the new range no longer holds is then refused (NAK) and takes a new address.\n"
        "Hurry a renewal by sending the client SIGUSR1: natlab exec LAB NODE -- sh -c\n"
        "'pkill -USR1 --nslist net --ns $$ udhcpc' (only the udhcpc of NODE's namespace).\n"
        "Every change is journalled, so status and the other commands judge against it.\n"
        "Examples:\n"
        "  natlab set two-nat nat0:wan delay=50ms loss=2%\n"
        "  natlab set two-nat nat0:wan --clear\n"
        "  natlab set two-nat nat0 type=symmetric --bindings drop\n"
        "  natlab set two-nat nat0 port-allocation=sequential port-range=20000-20099\n"
        "  natlab set two-nat nat0 address=100.64.1.50\n"
        "  natlab set vpn-split-nat mac address.en0=198.51.100.50\n"
        "  natlab set libvirt hv dhcp.virbr0.range=192.168.122.100-192.168.122.199");
    cmd->callback([opt] { run_set(*opt); });
}

}  // namespace natlab
