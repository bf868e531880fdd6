#include "edge/use_cases/listed_rules.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/nat/render_nft.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"

namespace natlab {
namespace {

constexpr std::size_t kTablesPerNamespace = 32;
// The families a NAT's tables are in, in the order render_nat_tables() writes them.
constexpr const char* kFamilies[] = {"ip", "ip6"};

// The name table `index` is loaded under in the scratch namespace.
std::string scratch_table(std::size_t index) {
    return "t" + std::to_string(index);
}

// One table of a rendered ruleset: its family and its text after the name.
struct RenderedTable {
    std::string family, body;
};

// The tables of a ruleset, each starting "table FAMILY natlab {".
std::vector<RenderedTable> tables_of(const std::string& ruleset) {
    std::vector<RenderedTable> out;
    std::size_t at = 0;
    while (at < ruleset.size()) {
        std::string family;
        for (const char* f : kFamilies)
            if (ruleset.compare(at, 6 + std::string(f).size() + 1 + std::string(kNatTable).size(),
                                "table " + std::string(f) + " " + kNatTable) == 0)
                family = f;
        if (family.empty())
            throw std::logic_error(
                "a NAT's ruleset is made of 'table ip natlab' and 'table ip6 "
                "natlab'");
        const std::size_t body = at + 6 + family.size() + 1 + std::string(kNatTable).size();
        std::size_t next = ruleset.find("\ntable ", body);
        next = next == std::string::npos ? ruleset.size() : next + 1;
        out.push_back({family, ruleset.substr(body, next - body)});
        at = next;
    }
    return out;
}

}  // namespace

std::string listed_nat_table(NftContext& nft) {
    std::string out;
    for (const char* family : kFamilies) out += nft.list_table(family, kNatTable);
    return out;
}

std::vector<std::string> listed_rulesets(const std::vector<std::string>& rulesets) {
    // Every table of every ruleset, numbered in order.
    std::vector<std::pair<std::size_t, RenderedTable>> tables;
    for (std::size_t i = 0; i < rulesets.size(); ++i)
        for (auto& t : tables_of(rulesets[i])) tables.emplace_back(i, std::move(t));
    std::vector<std::string> listed(rulesets.size());
    // A batch of tables loads in one transaction and is listed table by
    // table. Loading and listing slow down with the square of the tables a
    // namespace holds (300 tables: 0.9 s to load, 20 s to list all at once),
    // so each batch has a scratch namespace of its own.
    for (std::size_t first = 0; first < tables.size(); first += kTablesPerNamespace) {
        const std::size_t end = std::min(tables.size(), first + kTablesPerNamespace);
        std::string text;
        for (std::size_t i = first; i < end; ++i)
            text +=
                "table " + tables[i].second.family + " " + scratch_table(i) + tables[i].second.body;
        in_scratch_netns([&] {
            NftContext nft;
            nft.run(text, "loading the declared NAT rules in a scratch namespace to compare them");
            for (std::size_t i = first; i < end; ++i) {
                const std::string& family = tables[i].second.family;
                std::string table = nft.list_table(family, scratch_table(i));
                if (table.empty())
                    throw std::runtime_error(
                        "listing the declared NAT rules in a scratch namespace failed");
                listed[tables[i].first] +=
                    "table " + family + " " + kNatTable + " {" + table.substr(table.find('\n'));
            }
        });
    }
    return listed;
}

}  // namespace natlab
