#include "core/serve/flow_table.hpp"

namespace natlab {

void FlowTable::replace(const std::vector<ConntrackFlow>& dump, Clock::time_point now) {
    flows_.clear();
    for (const auto& f : dump) apply(f, now);
}

void FlowTable::apply(const ConntrackFlow& event, Clock::time_point now) {
    Key key{event.protocol, event.original.src, event.original.dst};
    if (event.event == FlowEvent::destroyed) {
        flows_.erase(key);
        return;
    }
    auto& seen = flows_[key];
    // An UPDATE reports what changed; counters it lacks stay as they were.
    FlowCount sent = seen.flow.sent, answered = seen.flow.answered;
    seen = {event, now};
    if (event.sent.packets == 0 && event.answered.packets == 0) {
        seen.flow.sent = sent;
        seen.flow.answered = answered;
    }
}

std::vector<ConntrackFlow> FlowTable::flows(Clock::time_point now) const {
    std::vector<ConntrackFlow> out;
    for (const auto& [key, seen] : flows_) {
        ConntrackFlow f = seen.flow;
        if (f.timeout_s) {
            auto gone = std::chrono::duration_cast<std::chrono::seconds>(now - seen.at).count();
            if (gone > *f.timeout_s) continue;
            f.timeout_s = *f.timeout_s - static_cast<int>(gone);
        }
        f.event = FlowEvent::none;
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace natlab
