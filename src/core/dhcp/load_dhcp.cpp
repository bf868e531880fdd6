#include "core/dhcp/load_dhcp.hpp"

namespace natlab {

std::vector<DhcpServeSpec> load_dhcp(YamlReader& reader, const YAML::Node& dhcp) {
    std::vector<DhcpServeSpec> out;
    if (!dhcp.IsMap()) {
        for (const auto& name : reader.scalars(dhcp, "an interface served by DHCP"))
            out.push_back({name, std::nullopt, std::nullopt});
        return out;
    }
    for (auto it = dhcp.begin(); it != dhcp.end(); ++it) {
        if (!reader.scalar(it->first, "an interface served by DHCP")) continue;
        DhcpServeSpec spec{reader.marked(it->first), std::nullopt, std::nullopt};
        const YAML::Node body = it->second;
        if (body && !body.IsNull()) {
            if (!reader.expect(
                    body, YAML::NodeType::Map, "the DHCP settings of " + spec.interface.value,
                    spec.interface.value + ": {range: 192.168.122.2-192.168.122.254, lease: 1h}"))
                continue;
            reader.check_keys(body, {"range", "lease"},
                              "in the DHCP settings of " + spec.interface.value);
            if (auto range = field(body, "range"); range && reader.scalar(range, "'range'"))
                spec.range = reader.marked(range);
            if (auto lease = field(body, "lease"); lease && reader.scalar(lease, "'lease'"))
                spec.lease = reader.marked(lease);
        }
        out.push_back(std::move(spec));
    }
    return out;
}

}  // namespace natlab
