#include "core/topology/load_container.hpp"

#include "core/util/text.hpp"

namespace natlab {

const std::vector<std::string>& container_keys() {
    static const std::vector<std::string> keys = {
        "root", "ephemeral", "boot", "command", "capabilities", "binds", "env", "ready-timeout"};
    return keys;
}

namespace {

const char* const kExample =
    "container: {root: host, command: [sleep, infinity]} or 'container: true'";

void load_optional(YamlReader& reader, const YAML::Node& body, const char* key,
                   std::optional<Marked<std::string>>& out) {
    if (auto value = field(body, key); value && reader.scalar(value, "'" + std::string(key) + "'"))
        out = reader.marked(value);
}

// "command: [nc, -l, 5000]" is run as it is; "command: nc -l 5000 > log" by /bin/sh -c.
void load_command(YamlReader& reader, const YAML::Node& command, ContainerSpec& out) {
    if (command.IsScalar()) {
        out.command =
            Marked<std::vector<std::string>>{{"/bin/sh", "-c", command.Scalar()}, at(command)};
        return;
    }
    if (!reader.expect(command, YAML::NodeType::Sequence, "'command'",
                       "command: [iperf3, -s] or command: \"iperf3 -s > /tmp/log\""))
        return;
    Marked<std::vector<std::string>> argv{{}, at(command)};
    for (const auto& item : command)
        if (reader.scalar(item, "a command argument")) argv.value.push_back(item.Scalar());
    out.command = argv;
}

void load_env(YamlReader& reader, const YAML::Node& env, ContainerSpec& out) {
    if (!reader.expect(env, YAML::NodeType::Map, "'env'", "env: {ROLE: client, PEER: c1}")) return;
    out.env.emplace();
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (!reader.scalar(it->first, "a variable name") ||
            !reader.scalar(it->second, "a variable's value"))
            continue;
        out.env->emplace_back(reader.marked(it->first), reader.marked(it->second));
    }
}

}  // namespace

ContainerSpec load_container(YamlReader& reader, const YAML::Node& section) {
    ContainerSpec out;
    out.pos = at(section);
    if (section.IsScalar()) {
        const std::string& text = section.Scalar();
        if (text == "true" || text == "false") {
            out.enabled = Marked<bool>{text == "true", at(section)};
        } else {
            reader.diag().error(at(section), "'container' must be true, false or a mapping, got " +
                                                 quote(text) + "; for example: " + kExample);
        }
        return out;
    }
    if (section.IsNull()) return out;  // "container:" alone: every default
    if (!reader.expect(section, YAML::NodeType::Map, "'container'", kExample)) return out;
    reader.check_keys(section, container_keys(), "in 'container'");
    load_optional(reader, section, "root", out.root);
    load_optional(reader, section, "ephemeral", out.ephemeral);
    load_optional(reader, section, "boot", out.boot);
    load_optional(reader, section, "ready-timeout", out.ready_timeout);
    if (auto command = field(section, "command")) load_command(reader, command, out);
    if (auto caps = field(section, "capabilities"))
        out.capabilities = reader.scalars(caps, "a capability");
    if (auto binds = field(section, "binds")) out.binds = reader.scalars(binds, "a bind mount");
    if (auto env = field(section, "env")) load_env(reader, env, out);
    return out;
}

}  // namespace natlab
