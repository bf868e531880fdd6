#include "core/lifecycle/state_format.hpp"

#include <cstdio>
#include <sstream>

#include "core/names/netns_name.hpp"
#include "core/topology/validate.hpp"

namespace natlab {

namespace {

constexpr const char* kHeader = "natlab-state 2";
constexpr const char* kLegacyHeader = "natlab-state 1";  // values written as they were

bool needs_escape(unsigned char c) {
    return c == '%' || c <= ' ' || c == 0x7f;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string field(const std::string& value) {
    return encode_state_value(value);
}

}  // namespace

std::string encode_state_value(std::string_view value) {
    std::string out;
    for (char ch : value) {
        auto c = static_cast<unsigned char>(ch);
        if (!needs_escape(c)) {
            out += ch;
            continue;
        }
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
    }
    return out;
}

std::string decode_state_value(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        int hi = 0, lo = 0;
        if (value[i] == '%' && i + 2 < value.size() && (hi = hex_digit(value[i + 1])) >= 0 &&
            (lo = hex_digit(value[i + 2])) >= 0) {
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += value[i];
        }
    }
    return out;
}

std::string state_header(const std::string& lab, const std::string& source) {
    return std::string(kHeader) + "\nlab " + field(lab) + "\nsource " + field(source) + "\n";
}

std::string state_netns_record(const std::string& netns) {
    return "netns " + field(netns) + "\n";
}

std::string state_container_record(const ContainerRecord& c) {
    return "container " + field(c.node) + " " + field(c.machine) + " " +
           std::to_string(c.nspawn.pid) + " " + std::to_string(c.nspawn.start_time) +
           (c.boot ? " boot\n" : " run\n");
}

std::string state_leader_record(const std::string& node, const ProcessRecord& leader) {
    return "leader " + field(node) + " " + std::to_string(leader.pid) + " " +
           std::to_string(leader.start_time) + "\n";
}

std::string state_complete_record() {
    return "complete\n";
}

namespace {

std::string change_fields(const LiveChange& c) {
    if (c.nat) return "nat " + field(c.node) + " " + field(*c.nat);
    if (c.dhcp) return "dhcp " + field(c.node) + " " + field(*c.dhcp);
    std::string where = field(c.node) + " " + field(c.ifname) + " ";
    if (c.condition) return "condition " + where + field(*c.condition);
    return "link " + where + (c.up.value_or(true) ? "up" : "down");
}

}  // namespace

std::string state_change_record(const LiveChange& c) {
    return change_fields(c) + "\n";
}

std::string state_begin_record(const PendingChange& p) {
    return "begin " + std::to_string(p.by.pid) + " " + std::to_string(p.by.start_time) + " " +
           change_fields(p.change) + (p.drop_bindings ? " drop\n" : "\n");
}

std::string state_abandon_record() {
    return "abandon\n";
}

namespace {

// Reads the records of one lab's state, keeping only what can be that lab's.
class StateReader {
  public:
    StateReader(std::string lab, bool encoded) : lab_(std::move(lab)), encoded_(encoded) {
        state_.lab = lab_;
    }

    // False when the file names another lab.
    bool read(const std::string& line) {
        auto space = line.find(' ');
        std::string key = line.substr(0, space);
        std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        if (key == "lab") return decoded(value) == lab_;
        if (key == "source")
            state_.source = decoded(value);
        else if (key == "netns")
            add_netns(line, decoded(value));
        else if (key == "container")
            add_container(line, value);
        else if (key == "leader")
            add_leader(line, value);
        else if (key == "complete")
            state_.complete = true;
        else if (key == "condition" || key == "link" || key == "nat" || key == "dhcp")
            add_change(line, key, value);
        else if (key == "begin")
            begin_change(line, value);
        else if (key == "abandon")
            state_.pending.reset();
        return true;  // unknown records are a newer natlab's: nothing to act on
    }

    LabState take() { return std::move(state_); }

  private:
    std::string lab_;
    bool encoded_;
    LabState state_;

    std::string decoded(const std::string& value) const {
        return encoded_ ? decode_state_value(value) : value;
    }
    void reject(const std::string& line) { state_.rejected.push_back(line); }

    // "<lab>-<node>" with a node name natlab accepts: nothing else is a
    // namespace this lab can have made.
    bool is_lab_name(const std::string& name) const {
        std::string prefix = lab_ + "-";
        return name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
               name_problem(std::string_view(name).substr(prefix.size())).empty();
    }

    void add_netns(const std::string& line, const std::string& netns) {
        if (is_lab_name(netns))
            state_.namespaces.push_back(netns);
        else
            reject(line);
    }

    static bool real_process(const ProcessRecord& p) { return p.pid > 1 && p.start_time > 0; }

    void add_container(const std::string& line, const std::string& value) {
        std::istringstream in(value);
        ContainerRecord c;
        std::string node, machine, mode;
        if (!(in >> node >> machine >> c.nspawn.pid >> c.nspawn.start_time >> mode))
            return reject(line);
        c.node = decoded(node);
        c.machine = decoded(machine);
        c.boot = mode == "boot";
        if (!name_problem(c.node).empty() || c.machine != netns_name(lab_, c.node) ||
            !real_process(c.nspawn) || state_.find_container(c.node))
            return reject(line);
        state_.containers.push_back(c);
    }

    // A change's record after its key: "NODE IFACE VALUE" for a link end's
    // (a node name natlab accepts, an interface name), "NODE SETTINGS" for a
    // NAT's keys; `rest` gets what follows a NAT's settings.
    std::optional<LiveChange> parse_change(const std::string& key, const std::string& value,
                                           std::string* rest = nullptr) const {
        std::istringstream in(value);
        std::string node, second;
        if (!(in >> node >> second)) return std::nullopt;
        node = decoded(node);
        if (!name_problem(node).empty()) return std::nullopt;
        LiveChange change{node, "", std::nullopt, std::nullopt, std::nullopt, std::nullopt};
        if (key == "nat") {
            change.nat = decoded(second);
            if (rest) in >> *rest;
            return change;
        }
        if (key == "dhcp") {
            change.dhcp = decoded(second);
            return change;
        }
        std::string what;
        std::getline(in >> std::ws, what);
        change.ifname = decoded(second);
        if (change.ifname.size() > 15) return std::nullopt;
        if (key == "condition")
            change.condition = decoded(what);
        else if (key == "link" && (what == "up" || what == "down"))
            change.up = what == "up";
        else
            return std::nullopt;
        return change;
    }

    void add_change(const std::string& line, const std::string& key, const std::string& value) {
        auto change = parse_change(key, value);
        if (!change) return reject(line);
        // The record of the change begun last says it is made.
        if (state_.pending && state_.pending->change == *change) state_.pending.reset();
        state_.changes.push_back(*change);
    }

    // "PID START_TIME KEY ..." with the change's record, and "drop" after a
    // NAT's settings when its bindings go.
    void begin_change(const std::string& line, const std::string& value) {
        std::istringstream in(value);
        PendingChange pending;
        std::string key, record;
        if (!(in >> pending.by.pid >> pending.by.start_time >> key) || !real_process(pending.by))
            return reject(line);
        std::getline(in >> std::ws, record);
        std::string rest;
        auto change = parse_change(key, record, &rest);
        if (!change || (key != "nat" && key != "condition" && key != "link" && key != "dhcp"))
            return reject(line);
        pending.change = *change;
        pending.drop_bindings = rest == "drop";
        state_.pending = pending;
    }

    void add_leader(const std::string& line, const std::string& value) {
        std::istringstream in(value);
        std::string node;
        ProcessRecord leader;
        if (!(in >> node >> leader.pid >> leader.start_time) || !real_process(leader))
            return reject(line);
        for (auto& c : state_.containers) {
            if (c.node == decoded(node)) {
                c.leader = leader;
                return;
            }
        }
        reject(line);
    }
};

}  // namespace

std::optional<LabState> parse_state(const std::string& text, const std::string& lab) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || (line != kHeader && line != kLegacyHeader)) return std::nullopt;
    StateReader reader(lab, line == kHeader);
    bool has_lab = false;
    while (std::getline(in, line)) {
        if (in.eof() && text.back() != '\n') break;  // torn by a crash mid-write
        if (line.rfind("lab ", 0) == 0) has_lab = true;
        if (!reader.read(line)) return std::nullopt;
    }
    if (!has_lab) return std::nullopt;
    return reader.take();
}

}  // namespace natlab
