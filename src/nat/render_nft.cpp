#include "nat/render_nft.hpp"

namespace natlab {

// Plain masquerade: Linux's default behaviour, endpoint-independent mapping
// with address-and-port-dependent filtering (a port-restricted cone).
std::string render_nat_rules(const LabNode& nat) {
    std::string out;
    out += "table ip " + std::string(kNatTable) + " {\n";
    // An empty nat chain on prerouting still matters: without a nat hook there,
    // replies are not translated back to the inside endpoint.
    out += "\tchain prerouting {\n";
    out += "\t\ttype nat hook prerouting priority dstnat; policy accept;\n";
    out += "\t}\n";
    out += "\tchain postrouting {\n";
    out += "\t\ttype nat hook postrouting priority srcnat; policy accept;\n";
    out += "\t\toifname \"" + nat.outside +
           "\" masquerade comment \"mapping: translate to the outside address\"\n";
    out += "\t}\n";
    out += "}\n";
    return out;
}

}  // namespace natlab
