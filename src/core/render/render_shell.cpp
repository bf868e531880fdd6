#include "core/render/render.hpp"

#include <algorithm>

#include "core/condition/qdisc_settings.hpp"
#include "core/container/nspawn_command.hpp"
#include "core/names/marker.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string q(std::string_view s) {
    return shell_quote(s);
}

std::string parent_dir(const std::string& path);

// A hook that calls natlab back calls the 'natlab' on the PATH.
std::string natlab_in_path(std::string text) {
    const std::string token = kNatlabProgram;
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at))
        text.replace(at, token.size(), "natlab");
    return text;
}

struct ShellLine {
    std::string operator()(const CreateNetns& s) const {
        return "ip netns add " + q(s.netns) + "\nip -n " + q(s.netns) + " link set lo up alias " +
               q(lab_marker(s.lab, s.node));
    }
    std::string operator()(const CreateVeth& s) const {
        // One queue each, as the executor asks (see RouteSocket::create_veth).
        std::string end =
            (s.mtu ? " mtu " + std::to_string(s.mtu) : "") + " numtxqueues 1 numrxqueues 1";
        return "ip link add " + q(s.ifname_a) + end + " index " + std::to_string(s.index_a) +
               " address " + s.mac_a.str() + " netns " + q(s.netns_a) + " type veth peer name " +
               q(s.ifname_b) + end + " index " + std::to_string(s.index_b) + " address " +
               s.mac_b.str() + " netns " + q(s.netns_b);
    }
    std::string operator()(const CreateBridge& s) const {
        return "ip -n " + q(s.netns) + " link add " + q(s.ifname) + " index " +
               std::to_string(s.index) + " type bridge";
    }
    std::string operator()(const AttachToBridge& s) const {
        return "ip -n " + q(s.netns) + " link set " + q(s.port) + " master " + q(s.bridge);
    }
    std::string operator()(const SetSysctl& s) const {
        return "ip netns exec " + q(s.netns) + " sysctl -qw " + q(s.key + "=" + s.value);
    }
    std::string operator()(const AddAddress& s) const {
        std::string nodad = s.address.address.family == Family::ipv6 ? " nodad" : "";
        return "ip -n " + q(s.netns) + " addr add " + s.address.str() + " dev " + q(s.ifname) +
               nodad;
    }
    std::string operator()(const SetLinkCondition& s) const {
        auto lines = tc_commands(s.netns, s.ifname, s.condition);
        if (lines.empty())
            return "tc -n " + q(s.netns) + " qdisc del dev " + q(s.ifname) +
                   " root 2>/dev/null || true";
        std::string out;
        for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
        return out;
    }
    std::string operator()(const SetLinkUp& s) const {
        return "ip -n " + q(s.netns) + " link set " + q(s.ifname) + " up";
    }
    std::string operator()(const AddRoute& s) const {
        std::string dest = s.destination.prefix == 0 ? "default" : s.destination.str();
        std::string family = s.destination.address.family == Family::ipv6 ? " -6" : "";
        return "ip" + family + " -n " + q(s.netns) + " route add " + dest +
               (s.gateway ? " via " + s.gateway->str() : "") +
               (s.device.empty() ? "" : " dev " + q(s.device));
    }
    std::string operator()(const AddProxyNeighbour& s) const {
        return "ip -6 -n " + q(s.netns) + " neigh add proxy " + s.address.str() + " dev " +
               q(s.ifname);
    }
    std::string operator()(const ApplyRuleset& s) const {
        return "ip netns exec " + q(s.netns) + " nft -f - <<'NFT'\n" + s.text + "NFT";
    }
    // The table, then both daemons in the background, output to the log.
    std::string operator()(const StartPortMapping& s) const {
        const PortMappingService& p = s.service;
        auto command = [&](const std::vector<std::string>& argv) {
            std::string text = "ip netns exec " + q(s.netns);
            for (const auto& arg : argv) text += " " + q(arg);
            return text;
        };
        return "mkdir -p " + q(parent_dir(p.config)) + "\ncat >" + q(p.config) + " <<'CONF'\n" +
               render_miniupnpd_config(p) + "CONF\nip netns exec " + q(s.netns) +
               " nft -f - <<'NFT'\n" + render_port_mapping_table(p) + "NFT\n" +
               command(stun_server_argv(p)) + " </dev/null >/dev/null 2>&1 &\n" +
               command(miniupnpd_argv(p)) + " </dev/null >" + q(p.log) + " 2>&1 &";
    }
    // Its files, then the daemon in the background, output to its log.
    std::string operator()(const StartDaemon& s) const {
        std::string text;
        for (const auto& [path, content] : s.daemon.files)
            text += "mkdir -p " + q(parent_dir(path)) + "\ncat >" + q(path) + " <<'CONF'\n" +
                    natlab_in_path(content) + (content.ends_with('\n') ? "" : "\n") + "CONF\n";
        for (const auto& path : s.daemon.executables) text += "chmod +x " + q(path) + "\n";
        text += "mkdir -p " + q(parent_dir(s.daemon.log)) + "\nip netns exec " + q(s.netns);
        for (const auto& arg : s.daemon.argv) text += " " + q(arg);
        text += " </dev/null >>" + q(s.daemon.log) + " 2>&1 &";
        // What comes next may need the interface the daemon makes (tayga's TUN device).
        if (s.daemon.ready.kind == DaemonReady::Kind::interface)
            text += "\nfor i in $(seq 100); do ip -n " + q(s.netns) + " link show " +
                    q(s.daemon.ready.interface) + " >/dev/null 2>&1 && break; sleep 0.1; done";
        return text;
    }
    // Polls for 10 s, as natlab does.
    std::string operator()(const AwaitAddress& s) const {
        return "for i in $(seq 100); do ip -n " + q(s.netns) + " -6 -o addr show dev " +
               q(s.ifname) + " to " + q(s.prefix.str()) + " | grep -q . && break; sleep 0.1; done";
    }
    // In the background, output to the log; a host-tree container gets its
    // overlay in a mount namespace of its own, so it vanishes with it.
    std::string operator()(const StartContainer& s) const {
        std::string nspawn;
        // The script writes no names (the plan holds no file of them).
        for (const auto& arg : nspawn_arguments(s, false, /*lab_names=*/false))
            nspawn += " " + q(arg);
        std::string log = " </dev/null >" + q(s.log) + " 2>&1 &";
        std::string mkdir = "mkdir -p " + q(parent_dir(s.log));
        if (!s.container.host_root()) return mkdir + "\n" + nspawn.substr(1) + log;
        OverlayLayout o = overlay_layout(s);
        std::string setup = "mount --make-rslave / && mount -t tmpfs natlab " + o.mount_point +
                            " && mkdir " + o.upper + " " + o.work + " " + o.merged +
                            " && mount -t overlay overlay -o lowerdir=/,upperdir=" + o.upper +
                            ",workdir=" + o.work + " " + o.merged + " && exec \"$@\"";
        return mkdir + " " + q(o.mount_point) + "\nSYSTEMD_NSPAWN_LOCK=0 unshare -m sh -c " +
               q(setup) + " sh" + nspawn + log;
    }
};

std::string parent_dir(const std::string& path) {
    return path.substr(0, path.rfind('/'));
}

// Containers first: a namespace keeps living while a process is in it.
std::string down_lines(const Plan& plan) {
    std::string out;
    bool containers = false;
    for (const auto& step : plan.steps) {
        if (std::holds_alternative<StartPortMapping>(step) ||
            std::holds_alternative<StartDaemon>(step))
            containers = true;  // daemons
        if (auto* s = std::get_if<StartContainer>(&step)) {
            containers = true;
            out += "pkill -KILL -f -- " + q("^systemd-nspawn .*--machine=" + s->machine + " ") +
                   " || true\n";
        }
    }
    auto namespaces = plan.namespaces();
    std::reverse(namespaces.begin(), namespaces.end());
    for (const auto& ns : namespaces) {
        if (containers) out += "ip netns pids " + q(ns) + " 2>/dev/null | xargs -r kill -KILL\n";
        out += "ip netns delete " + q(ns) + " 2>/dev/null || true\n";
    }
    return out;
}

}  // namespace

std::string render_shell(const Plan& plan) {
    std::string out;
    out += "#!/bin/sh\n";
    out += "# Lab " + plan.lab +
           " as plain ip/sysctl/nft commands (generated by natlab plan --format shell).\n";
    out += "# Usage: sh THIS_FILE up    build the lab\n";
    out += "#        sh THIS_FILE down  remove it\n";
    out += "set -e\n\n";
    out += "up() {\n";
    for (const auto& step : plan.steps) out += std::visit(ShellLine{}, step) + "\n";
    out += "}\n\n";
    out += "down() {\n";
    out += down_lines(plan);
    out += "}\n\n";
    out += "case \"${1:-up}\" in\n";
    out += "  up) up ;;\n";
    out += "  down) down ;;\n";
    out += "  *) echo \"usage: $0 [up|down]\" >&2; exit 2 ;;\n";
    out += "esac\n";
    return out;
}

}  // namespace natlab
