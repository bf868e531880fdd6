#include "edge/use_cases/listed_rules.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/nat/render_nft.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"

namespace natlab {
namespace {

constexpr std::size_t kTablesPerNamespace = 32;

// The name ruleset `index` is loaded under in the scratch namespace.
std::string scratch_table(std::size_t index) {
    return "t" + std::to_string(index);
}

}  // namespace

std::string listed_nat_table(NftContext& nft) {
    return nft.list_table("ip", kNatTable);
}

std::vector<std::string> listed_rulesets(const std::vector<std::string>& rulesets) {
    std::vector<std::string> listed(rulesets.size());
    const std::string header = std::string("table ip ") + kNatTable + " {";
    for (const auto& ruleset : rulesets)
        if (ruleset.rfind(header, 0) != 0)
            throw std::logic_error("a NAT's ruleset starts with '" + header + "'");
    // A batch of tables loads in one transaction and is listed table by
    // table. Loading and listing slow down with the square of the tables a
    // namespace holds (300 tables: 0.9 s to load, 20 s to list all at once),
    // so each batch has a scratch namespace of its own.
    for (std::size_t first = 0; first < rulesets.size(); first += kTablesPerNamespace) {
        const std::size_t end = std::min(rulesets.size(), first + kTablesPerNamespace);
        std::string text;
        for (std::size_t i = first; i < end; ++i)
            text += "table ip " + scratch_table(i) + rulesets[i].substr(header.size() - 2);
        in_scratch_netns([&] {
            NftContext nft;
            nft.run(text, "loading the declared NAT rules in a scratch namespace to compare them");
            for (std::size_t i = first; i < end; ++i) {
                std::string table = nft.list_table("ip", scratch_table(i));
                if (table.empty())
                    throw std::runtime_error(
                        "listing the declared NAT rules in a scratch namespace failed");
                listed[i] = header + table.substr(table.find('\n'));
            }
        });
    }
    return listed;
}

}  // namespace natlab
