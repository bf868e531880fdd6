#include "core/conntrack/describe_flow.hpp"

#include "core/util/json.hpp"

namespace natlab {
namespace {

std::string forgotten(const ConntrackFlow& flow, const std::string& condition = "") {
    if (!flow.timeout_s) return "";
    return "; forgotten in " + std::to_string(*flow.timeout_s) + " s" + condition;
}

std::string outbound_meaning(const ConntrackFlow& flow, const Translation& t,
                             const AddressBook& names) {
    std::string inside = named(t.inside, names), outside = t.outside.str(),
                remote = named(t.remote, names);
    switch (flow.event) {
        case FlowEvent::created:
            return inside + " is now mapped to " + outside + " for " + remote + "; no reply yet" +
                   forgotten(flow);
        case FlowEvent::destroyed:
            return inside + " is no longer mapped to " + outside + " for " + remote +
                   (flow.replied ? "" : " (it never got a reply)") + ": the flow is gone";
        case FlowEvent::updated:
            if (flow.assured)
                return inside + " and " + remote + " talk both ways through " + outside +
                       " (assured)" + forgotten(flow, " without traffic");
            if (flow.replied)
                return remote + " answered " + inside + " through its mapping " + outside +
                       forgotten(flow, " without traffic");
            return inside + " sent again to " + remote + " through " + outside +
                   "; still no reply" + forgotten(flow);
        case FlowEvent::none:
            break;
    }
    return inside + " is mapped to " + outside + " for " + remote +
           (flow.replied ? "; answered" : "; no reply yet") + forgotten(flow);
}

std::string inbound_meaning(const ConntrackFlow& flow, const Translation& t,
                            const AddressBook& names) {
    std::string base = named(t.remote, names) + " came in through " + t.outside.str() + " to " +
                       named(t.inside, names);
    if (flow.event == FlowEvent::destroyed) return base + "; that flow is gone";
    return base + (flow.replied ? "; answered" : "; no reply yet") + forgotten(flow);
}

std::string untranslated_meaning(const ConntrackFlow& flow, const AddressBook& names) {
    std::string base = named(flow.original.src, names) + " -> " + named(flow.original.dst, names) +
                       ", not translated";
    if (flow.event == FlowEvent::destroyed) return base + "; the flow is gone";
    return base + (flow.replied ? "; answered" : "; no reply yet") + forgotten(flow);
}

nlohmann::json tuple_json(const FlowTuple& t) {
    return {{"src", t.src.str()}, {"dst", t.dst.str()}};
}

}  // namespace

std::optional<std::string> owner(const Endpoint& e, const AddressBook& names) {
    auto it = names.find(e.ip);
    if (it == names.end()) return std::nullopt;
    return it->second;
}

std::string named(const Endpoint& e, const AddressBook& names) {
    auto node = owner(e, names);
    return node ? *node + " " + e.str() : e.str();
}

AddressBook address_book(const Lab& lab) {
    AddressBook book;
    for (const auto& node : lab.nodes)
        for (const auto& iface : node.interfaces)
            for (const auto& a : iface.addresses) book.emplace(a.address, node.name);
    return book;
}

std::string raw_line(const ConntrackFlow& flow) {
    std::string line;
    if (flow.event != FlowEvent::none) line = std::string("[") + name_of(flow.event) + "] ";
    line += flow.protocol + " " + flow.original.src.str() + " -> " + flow.original.dst.str() +
            " reply " + flow.reply.src.str() + " -> " + flow.reply.dst.str();
    if (!flow.tcp_state.empty()) line += " " + flow.tcp_state;
    if (flow.timeout_s) line += " timeout " + std::to_string(*flow.timeout_s);
    if (!flow.replied) line += " UNREPLIED";
    if (flow.assured) line += " ASSURED";
    return line;
}

std::optional<Translation> translation_of(const ConntrackFlow& flow) {
    bool source_changed = flow.src_nat || flow.original.src != flow.reply.dst;
    bool destination_changed = flow.dst_nat || flow.original.dst != flow.reply.src;
    if (source_changed) return Translation{flow.original.src, flow.reply.dst, flow.original.dst};
    if (destination_changed)
        return Translation{flow.reply.src, flow.original.dst, flow.original.src, true};
    return std::nullopt;
}

std::string meaning(const ConntrackFlow& flow, const AddressBook& names) {
    auto t = translation_of(flow);
    if (!t) return untranslated_meaning(flow, names);
    return t->inbound ? inbound_meaning(flow, *t, names) : outbound_meaning(flow, *t, names);
}

nlohmann::json flow_json(const ConntrackFlow& flow, const AddressBook& names) {
    nlohmann::json j = {{"event", flow.event == FlowEvent::none ? "" : name_of(flow.event)},
                        {"protocol", flow.protocol},
                        {"original", tuple_json(flow.original)},
                        {"reply", tuple_json(flow.reply)},
                        {"timeout", or_null(flow.timeout_s)},
                        {"replied", flow.replied},
                        {"assured", flow.assured},
                        {"meaning", meaning(flow, names)}};
    if (!flow.tcp_state.empty()) j["tcp_state"] = flow.tcp_state;
    if (auto t = translation_of(flow)) {
        j["translation"] = {{"inside", t->inside.str()},
                            {"outside", t->outside.str()},
                            {"remote", t->remote.str()},
                            {"direction", t->inbound ? "inbound" : "outbound"}};
    }
    return j;
}

}  // namespace natlab
