#include "edge/lab/listed_rules.hpp"

#include <sstream>
#include <stdexcept>

#include "core/nat/render_nft.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"

namespace natlab {
namespace {

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
    if (rulesets.empty()) return listed;
    const std::string header = std::string("table ip ") + kNatTable + " {";
    std::string text;
    for (std::size_t i = 0; i < rulesets.size(); ++i) {
        if (rulesets[i].rfind(header, 0) != 0)
            throw std::logic_error("a NAT's ruleset starts with '" + header + "'");
        text += "table ip " + scratch_table(i) + rulesets[i].substr(header.size() - 2);
    }
    // One transaction and one listing for them all: a lab of 1000 NATs pays
    // for one scratch namespace, not 1000 loads.
    std::string listing;
    in_scratch_netns([&] {
        NftContext nft;
        nft.run(text, "loading the declared NAT rules in a scratch namespace to compare them");
        listing = nft.run("list ruleset", "listing the declared NAT rules");
    });
    // "table ip t7 {" starts ruleset 7's listing, "}" ends it.
    std::istringstream lines(listing);
    std::string* table = nullptr;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("table ip t", 0) == 0) {
            std::size_t index = std::stoul(line.substr(10));
            table = index < listed.size() ? &listed[index] : nullptr;
            if (table) *table = header + "\n";
            continue;
        }
        if (table) *table += line + "\n";
        if (line == "}") table = nullptr;
    }
    return listed;
}

}  // namespace natlab
