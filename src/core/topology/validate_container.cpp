#include "core/topology/validate_container.hpp"

#include <algorithm>
#include <cctype>

#include "core/input/values.hpp"
#include "core/util/text.hpp"

namespace natlab {

const std::vector<std::string>& capability_names() {
    static const std::vector<std::string> names = {"CAP_CHOWN",
                                                   "CAP_DAC_OVERRIDE",
                                                   "CAP_DAC_READ_SEARCH",
                                                   "CAP_FOWNER",
                                                   "CAP_FSETID",
                                                   "CAP_KILL",
                                                   "CAP_SETGID",
                                                   "CAP_SETUID",
                                                   "CAP_SETPCAP",
                                                   "CAP_LINUX_IMMUTABLE",
                                                   "CAP_NET_BIND_SERVICE",
                                                   "CAP_NET_BROADCAST",
                                                   "CAP_NET_ADMIN",
                                                   "CAP_NET_RAW",
                                                   "CAP_IPC_LOCK",
                                                   "CAP_IPC_OWNER",
                                                   "CAP_SYS_MODULE",
                                                   "CAP_SYS_RAWIO",
                                                   "CAP_SYS_CHROOT",
                                                   "CAP_SYS_PTRACE",
                                                   "CAP_SYS_PACCT",
                                                   "CAP_SYS_ADMIN",
                                                   "CAP_SYS_BOOT",
                                                   "CAP_SYS_NICE",
                                                   "CAP_SYS_RESOURCE",
                                                   "CAP_SYS_TIME",
                                                   "CAP_SYS_TTY_CONFIG",
                                                   "CAP_MKNOD",
                                                   "CAP_LEASE",
                                                   "CAP_AUDIT_WRITE",
                                                   "CAP_AUDIT_CONTROL",
                                                   "CAP_SETFCAP",
                                                   "CAP_MAC_OVERRIDE",
                                                   "CAP_MAC_ADMIN",
                                                   "CAP_SYSLOG",
                                                   "CAP_WAKE_ALARM",
                                                   "CAP_BLOCK_SUSPEND",
                                                   "CAP_AUDIT_READ",
                                                   "CAP_PERFMON",
                                                   "CAP_BPF",
                                                   "CAP_CHECKPOINT_RESTORE"};
    return names;
}

namespace {

constexpr int kMaxReadyTimeout = 3600;

// The node's value when it wrote one, else the lab's default.
template <class T>
const std::optional<T>& pick(const std::optional<T>& own, const std::optional<T>& fallback) {
    return own ? own : fallback;
}

bool is_variable_name(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

class ContainerChecker {
  public:
    ContainerChecker(const ContainerSpec& own, const ContainerSpec& fallback, Diagnostics& diag)
        : own_(own), fallback_(fallback), diag_(diag) {}

    LabContainer run() {
        check_root();
        if (auto& v = pick(own_.boot, fallback_.boot)) out_.boot = read_boolean(*v, "boot", diag_);
        if (auto& v = pick(own_.ephemeral, fallback_.ephemeral)) check_ephemeral(*v);
        if (auto& v = pick(own_.ready_timeout, fallback_.ready_timeout)) check_timeout(*v);
        check_command();
        check_capabilities();
        if (auto& binds = pick(own_.binds, fallback_.binds))
            for (const auto& bind : *binds) check_bind(bind);
        if (auto& env = pick(own_.env, fallback_.env))
            for (const auto& [name, value] : *env) check_env(name, value);
        return out_;
    }

  private:
    const ContainerSpec& own_;
    const ContainerSpec& fallback_;
    Diagnostics& diag_;
    LabContainer out_;

    void check_root() {
        auto& root = pick(own_.root, fallback_.root);
        if (!root) return;
        out_.root_pos = root->pos;
        out_.root = root->value;  // even when wrong: later checks must not take it for 'host'
        if (root->value == "host" || root->value.starts_with("/")) return;
        diag_.error(root->pos, "container root " + quote(root->value) +
                                   " must be 'host' (the host's own tree, read-only, under a "
                                   "throw-away overlay) or an absolute path to an OS tree, "
                                   "e.g. /var/lib/natlab/bookworm");
    }

    void check_ephemeral(const Marked<std::string>& value) {
        out_.ephemeral = read_boolean(value, "ephemeral", diag_);
        if (out_.ephemeral && out_.host_root()) {
            diag_.error(value.pos,
                        "'ephemeral' applies to a directory tree; a container on the host tree "
                        "always runs on a throw-away overlay, so remove 'ephemeral' or set 'root'");
        }
    }

    void check_timeout(const Marked<std::string>& value) {
        if (auto s = parse_int(value.value, 1, kMaxReadyTimeout)) {
            out_.ready_timeout_s = *s;
            return;
        }
        diag_.error(value.pos, "ready-timeout " + quote(value.value) +
                                   " must be a whole number of seconds from 1 to " +
                                   std::to_string(kMaxReadyTimeout) + ", e.g. 30");
    }

    void check_command() {
        auto& command = pick(own_.command, fallback_.command);
        if (out_.boot) {
            // Only the node's own command conflicts: a default command is for unbooted nodes.
            if (own_.command)
                diag_.error(own_.command->pos,
                            "a booted container runs systemd as its first process, so it takes no "
                            "'command'; remove 'command' or 'boot: true'");
            return;
        }
        if (!command) {
            out_.command = {"sleep", "infinity"};  // stays up for 'natlab exec'
        } else if (command->value.empty()) {
            diag_.error(command->pos, "'command' is empty; write e.g. command: [iperf3, -s]");
        } else {
            out_.command = command->value;
        }
    }

    void check_capabilities() {
        auto& caps = pick(own_.capabilities, fallback_.capabilities);
        if (!caps) {
            out_.capabilities = {"CAP_NET_ADMIN"};  // so nft and conntrack work inside
            return;
        }
        for (const auto& cap : *caps) {
            std::string name = cap.value;
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            if (!name.starts_with("CAP_")) name = "CAP_" + name;
            const auto& known = capability_names();
            if (name == "CAP_ALL") name = "all";
            if (name != "all" && std::find(known.begin(), known.end(), name) == known.end()) {
                diag_.error(cap.pos, "unknown capability " + quote(cap.value) +
                                         "; write a Linux capability such as CAP_NET_ADMIN or "
                                         "CAP_SYS_PTRACE, or 'all'" +
                                         did_you_mean(name, known));
                continue;
            }
            out_.capabilities.push_back(name);
        }
    }

    // "/src", "/src:/dst" or "/src:/dst:ro".
    void check_bind(const Marked<std::string>& bind) {
        const std::string& text = bind.value;
        std::vector<std::string> parts;
        for (std::size_t start = 0;;) {
            auto colon = text.find(':', start);
            parts.push_back(text.substr(start, colon - start));
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
        BindMount mount;
        mount.source = parts[0];
        mount.target = parts.size() > 1 ? parts[1] : parts[0];
        bool mode_ok = parts.size() < 3 || parts[2] == "ro" || parts[2] == "rw";
        mount.read_only = parts.size() == 3 && parts[2] == "ro";
        if (parts.size() > 3 || !mode_ok || !mount.source.starts_with("/") ||
            !mount.target.starts_with("/")) {
            diag_.error(bind.pos, "bind mount " + quote(text) +
                                      " must be 'SOURCE[:TARGET[:ro]]' with absolute paths, e.g. "
                                      "/srv/app:/opt/app:ro");
            return;
        }
        out_.binds.push_back(mount);
        out_.bind_pos.push_back(bind.pos);
    }

    void check_env(const Marked<std::string>& name, const Marked<std::string>& value) {
        if (!is_variable_name(name.value)) {
            diag_.error(name.pos, "environment variable name " + quote(name.value) +
                                      " must be letters, digits and '_', not starting with a "
                                      "digit, e.g. PEER_ADDRESS");
            return;
        }
        out_.env.emplace_back(name.value, value.value);
    }
};

}  // namespace

std::optional<LabContainer> resolve_container(const NodeSpec& node,
                                              const std::optional<ContainerSpec>& lab_default,
                                              Diagnostics& diag) {
    const ContainerSpec none;
    const ContainerSpec& fallback = lab_default ? *lab_default : none;
    bool default_on = lab_default && (!lab_default->enabled || lab_default->enabled->value);
    bool wanted = node.container ? (!node.container->enabled || node.container->enabled->value)
                                 : default_on && node.kind.value == NodeKind::host;
    if (!wanted) return std::nullopt;
    const ContainerSpec& own = node.container ? *node.container : none;
    return ContainerChecker(own, fallback, diag).run();
}

}  // namespace natlab
