#include "core/schedule/schedule.hpp"

#include <algorithm>
#include <sstream>

#include "core/condition/units.hpp"
#include "core/condition/validate_condition.hpp"
#include "core/conntrack/rebind.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/schedule/nat_keys_so_far.hpp"
#include "core/topology/node_interface.hpp"
#include "core/topology/node_lookup.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

using Verb = LiveAction::Verb;

const std::vector<std::string>& verbs() {
    static const std::vector<std::string> v = {"set", "link", "rebind", "flush"};
    return v;
}

std::vector<std::string> words_of(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// What each action takes, for messages.
std::string usage(Verb verb) {
    switch (verb) {
        case Verb::set:
            return "set NODE:IFACE KEY=VALUE... [--clear], or set NAT KEY=VALUE... "
                   "[--bindings keep|drop], e.g. 'set nat0:wan delay=50ms'";
        case Verb::link:
            return "link NODE:IFACE down|up, e.g. 'link nat0:wan down'";
        case Verb::rebind:
            return "rebind NAT [--inside HOST[:PORT]], e.g. 'rebind nat0 --inside c0'";
        case Verb::flush:
            break;
    }
    return "flush NAT, e.g. 'flush nat0'";
}

// Reads the set action's words after the target; false on a malformed one.
bool read_set(const std::vector<std::string>& w, LiveAction& a) {
    for (std::size_t i = 2; i < w.size(); ++i) {
        if (w[i] == "--clear") {
            a.clear = true;
        } else if (w[i] == "--bindings" && i + 1 < w.size() &&
                   (w[i + 1] == "keep" || w[i + 1] == "drop")) {
            a.bindings = w[++i];
        } else if (auto eq = w[i].find('='); eq != std::string::npos && eq > 0) {
            a.settings.emplace_back(w[i].substr(0, eq), w[i].substr(eq + 1));
        } else {
            return false;
        }
    }
    return !a.settings.empty() || a.clear;
}

bool read_arguments(const std::vector<std::string>& w, LiveAction& a) {
    switch (a.verb) {
        case Verb::set:
            return read_set(w, a);
        case Verb::link:
            a.up = w.size() == 3 && w[2] == "up";
            return w.size() == 3 && (w[2] == "up" || w[2] == "down") && names_interface(a.target);
        case Verb::rebind:
            if (w.size() == 4 && w[2] == "--inside") a.inside = w[3];
            return w.size() == 2 || (w.size() == 4 && w[2] == "--inside");
        case Verb::flush:
            break;
    }
    return w.size() == 2;
}

std::optional<ScheduledChange> read_change(const std::string& where, const std::string& time,
                                           const std::string& action,
                                           std::vector<std::string>& problems) {
    auto at = parse_duration_us(time);
    if (!at && time == "0") at = 0;
    if (!at) {
        problems.push_back(where + ": " + quote(time) +
                           " is not a time after the command starts; write e.g. 5s or 500ms");
        return std::nullopt;
    }
    std::vector<std::string> w = words_of(action);
    const std::string what = where + ": " + quote(action) + ": ";
    if (w.empty()) {
        problems.push_back(what + "no action; write e.g. 'link nat0:wan down'");
        return std::nullopt;
    }
    auto verb = std::find(verbs().begin(), verbs().end(), w[0]);
    if (verb == verbs().end()) {
        problems.push_back(what + "unknown action " + quote(w[0]) + "; write one of " +
                           join(verbs(), ", ") + did_you_mean(w[0], verbs()));
        return std::nullopt;
    }
    LiveAction a;
    a.verb = static_cast<Verb>(verb - verbs().begin());
    a.target = w.size() > 1 ? w[1] : "";
    a.written = join(w, " ");
    if (!read_arguments(w, a)) {
        problems.push_back(what + "write " + usage(a.verb));
        return std::nullopt;
    }
    return ScheduledChange{*at, std::move(a), where};
}

bool earlier(const ScheduledChange& x, const ScheduledChange& y) {
    return x.at_us < y.at_us;
}

// The end NODE:IFACE, or a problem.
std::string end_problem(const Lab& lab, const std::string& end) {
    auto named = NodeInterface::parse(end).value_or(NodeInterface{end, ""});
    const LabNode* node = lab.find_node(named.node);
    if (!node)
        return quote(named.node) + " is not a node of the lab; its nodes are " + node_names(lab);
    if (!node->find_interface(named.interface))
        return quote(end) + " is not a link end of the lab; write NODE:IFACE";
    return "";
}

std::string nat_problem(const Lab& lab, const std::string& nat) {
    const LabNode* node = lab.find_node(nat);
    return node && node->nat ? ""
                             : quote(nat) + " is not a NAT node of the lab; its NAT nodes are " +
                                   node_names(lab, NodeKind::nat);
}

// `lab` is the lab as the changes before this one leave it (`changes`).
std::vector<std::string> action_problems(const LiveAction& a, const LoadedLab& loaded,
                                         const Lab& lab, const std::vector<LiveChange>& changes) {
    // rebind and flush name a NAT; set names either; link an end (read_arguments saw to that).
    bool on_end = (a.verb == Verb::set || a.verb == Verb::link) && names_interface(a.target);
    if (on_end) {
        if (auto p = end_problem(lab, a.target); !p.empty()) return {p};
    } else if (auto p = nat_problem(lab, a.target); !p.empty()) {
        return {p};
    }
    std::vector<std::string> problems;
    if (a.verb == Verb::set && on_end) apply_condition_settings({}, a.settings, problems);
    if (a.verb == Verb::set && !on_end)
        problems = nat_settings_problems(loaded.text, loaded.path, lab.name, changes, a.target,
                                         a.settings);
    if (a.verb == Verb::rebind)
        if (auto refusal = rebind_refusal(*lab.find_node(a.target)->nat, a.target);
            !refusal.empty())
            problems.push_back(refusal);
    if (a.verb == Verb::rebind && !a.inside.empty()) {
        try {
            parse_inside_filter(lab, a.inside);
        } catch (const InvalidInput& e) {
            problems.push_back(std::string(e.what()).substr(std::string("natlab: ").size()));
        }
    }
    return problems;
}

}  // namespace

void add_at(Schedule& schedule, const std::string& time, const std::string& action,
            std::vector<std::string>& problems) {
    auto change = read_change("--at " + time, time, action, problems);
    if (!change) return;
    // After every change at the same time: those were given first.
    schedule.insert(std::upper_bound(schedule.begin(), schedule.end(), *change, earlier),
                    std::move(*change));
}

void add_schedule_text(Schedule& schedule, const std::string& text, const std::string& file,
                       std::vector<std::string>& problems) {
    std::istringstream lines(text);
    int number = 0;
    Schedule read;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        std::istringstream in(line);
        std::string time, action;
        if (!(in >> time)) continue;
        std::getline(in >> std::ws, action);
        if (auto change = read_change(file + ":" + std::to_string(number), time, action, problems))
            read.push_back(std::move(*change));
    }
    // One sort of the file's changes and one merge: n lines cost n log n.
    std::stable_sort(read.begin(), read.end(), earlier);
    auto given_before = static_cast<std::ptrdiff_t>(schedule.size());
    schedule.insert(schedule.end(), std::make_move_iterator(read.begin()),
                    std::make_move_iterator(read.end()));
    std::inplace_merge(schedule.begin(), schedule.begin() + given_before, schedule.end(), earlier);
}

void check_schedule(const Schedule& schedule, const LoadedLab& loaded,
                    std::vector<std::string>& problems) {
    // A NAT's keys set earlier in the scenario hold for the changes after
    // (a rebind after 'set nat0 type=full-cone' is one of a full cone's).
    NatKeysSoFar nat_keys;
    // The lab with those keys, made again only when a rebind needs it: the
    // other checks look at names, which NAT keys do not change.
    std::optional<Lab> changed_lab;
    for (const auto& change : schedule) {
        const LiveAction& a = change.action;
        if (a.verb == Verb::rebind && !changed_lab)
            changed_lab =
                load_changed_lab(loaded.text, loaded.path, loaded.lab.name, nat_keys.changes()).lab;
        const Lab& lab = changed_lab ? *changed_lab : loaded.lab;
        auto found = action_problems(a, loaded, lab, nat_keys.changes());
        for (const auto& p : found)
            problems.push_back(change.where + ": " + quote(a.written) + ": " + p);
        if (!found.empty() || a.verb != Verb::set || names_interface(a.target)) continue;
        nat_keys.add(a.target, a.settings);
        changed_lab.reset();
    }
}

}  // namespace natlab
