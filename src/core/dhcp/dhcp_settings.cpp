#include "core/dhcp/dhcp_settings.hpp"

#include <sstream>

namespace natlab {

std::string dhcp_settings_words(const DhcpSettings& settings) {
    std::string out;
    for (const auto& [key, value] : settings) out += (out.empty() ? "" : " ") + key + "=" + value;
    return out;
}

DhcpSettings dhcp_settings_of_words(const std::string& words) {
    DhcpSettings out;
    std::istringstream in(words);
    for (std::string word; in >> word;) {
        auto eq = word.find('=');
        if (eq != std::string::npos) out.emplace_back(word.substr(0, eq), word.substr(eq + 1));
    }
    return out;
}

void apply_dhcp_settings(std::vector<DhcpServeSpec>& specs, const std::string& node,
                         const DhcpSettings& settings, std::vector<std::string>& problems) {
    for (const auto& [key, value] : settings) {
        // Interface names may hold dots (eth0.100): the key is what follows the last.
        auto dot = key.rfind('.');
        std::string ifname = dot == std::string::npos ? "" : key.substr(0, dot);
        std::string what = dot == std::string::npos ? key : key.substr(dot + 1);
        if (ifname.empty() || (what != "range" && what != "lease")) {
            problems.push_back(
                "'dhcp." + key +
                "' is not a DHCP key; write dhcp.IFACE.range=FIRST-LAST or dhcp.IFACE.lease=TIME");
            continue;
        }
        DhcpServeSpec* spec = nullptr;
        for (auto& s : specs)
            if (s.interface.value == ifname) spec = &s;
        if (!spec) {
            std::string served;
            for (const auto& s : specs) served += (served.empty() ? "" : ", ") + s.interface.value;
            problems.push_back("node '" + node + "' serves no DHCP on '" + ifname + "'" +
                               (served.empty() ? "; it serves none (add 'dhcp:' to it in the file)"
                                               : "; it serves " + served));
            continue;
        }
        auto& slot = what == "range" ? spec->range : spec->lease;
        if (value == "none")
            slot.reset();
        else
            slot = Marked<std::string>{value, {}};
    }
}

}  // namespace natlab
