#include "core/nat/allocation_log.hpp"

#include <iomanip>
#include <sstream>

namespace natlab {
namespace {

using nlohmann::json;

std::string ports_of(const PortBlock& b) {
    return std::to_string(b.ports.first) + "-" + std::to_string(b.ports.last);
}

long refused_of(const AllocationLog& log, const IpAddress& subscriber) {
    auto it = log.refused.find(subscriber);
    return it == log.refused.end() ? 0 : it->second;
}

}  // namespace

std::string render_allocation_log(const AllocationLog& log) {
    std::ostringstream out;
    out << std::left << std::setw(17) << "SUBSCRIBER" << std::setw(17) << "EXTERNAL"
        << std::setw(13) << "PORTS" << std::setw(22) << "SINCE"
        << "REFUSED\n";
    for (const auto& b : log.blocks)
        out << std::setw(17) << b.subscriber.str() << std::setw(17) << b.external.str()
            << std::setw(13) << ports_of(b) << std::setw(22) << log.since
            << refused_of(log, b.subscriber) << "\n";
    return out.str();
}

std::string allocation_log_json_lines(const AllocationLog& log) {
    std::string out;
    for (const auto& b : log.blocks)
        out += json({{"nat", log.nat},
                     {"subscriber", b.subscriber.str()},
                     {"external", b.external.str()},
                     {"ports", ports_of(b)},
                     {"since", log.since},
                     {"refused", refused_of(log, b.subscriber)}})
                   .dump() +
               "\n";
    return out;
}

std::map<IpAddress, long> parse_exhausted(const std::string& set_json) {
    std::map<IpAddress, long> out;
    json j = json::parse(set_json, nullptr, false);
    if (j.is_discarded() || !j.contains("nftables")) return out;
    for (const auto& item : j["nftables"]) {
        if (!item.contains("set")) continue;
        for (const auto& e : item["set"].value("elem", json::array())) {
            if (!e.is_object() || !e.contains("elem")) continue;
            const json& elem = e["elem"];
            auto ip = elem.contains("val") && elem["val"].is_string()
                          ? IpAddress::parse(elem["val"].get<std::string>())
                          : std::nullopt;
            if (ip && elem.contains("counter")) out[*ip] = elem["counter"].value("packets", 0L);
        }
    }
    return out;
}

}  // namespace natlab
