#include "core/nat/render_isolation.hpp"

#include "core/nat/nat_outsides.hpp"
#include "core/nat/render_nft.hpp"

namespace natlab {
namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

}  // namespace

std::string with_inside_isolation(const NatNode& nat, const std::string& family,
                                  std::string table) {
    if (!nat.behaviour.isolate_inside || nat.inside_interfaces.size() < 2) return table;
    std::string out;
    for (const auto& o : nat_outsides(nat)) out += ", " + quoted(o.interface);
    std::string rules;
    for (const auto& name : nat.inside_interfaces) {
        const std::string in = quoted(name);
        rules += "\t\tiifname " + in + " oifname != { " + in + out + " } counter reject comment " +
                 quoted("isolate-inside: " + name +
                        "'s network reaches the outside and itself, no other inside network") +
                 "\n";
    }
    const std::string chain =
        "\tchain isolate {\n\t\ttype filter hook forward priority filter; policy accept;\n" +
        rules + "\t}\n";
    if (table.empty()) return "table " + family + " " + kNatTable + " {\n" + chain + "}\n";
    // The table ends with its closing brace: the chain goes just before it.
    table.insert(table.rfind("}\n"), chain);
    return table;
}

}  // namespace natlab
