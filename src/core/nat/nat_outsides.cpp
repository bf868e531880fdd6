#include "core/nat/nat_outsides.hpp"

#include <cctype>

namespace natlab {

std::vector<NatOutside> nat_outsides(const NatNode& nat) {
    std::vector<NatOutside> out{{nat.outside, nat.external_address}};
    out.insert(out.end(), nat.further_outsides.begin(), nat.further_outsides.end());
    return out;
}

bool is_nat_outside(const NatNode& nat, std::string_view ifname) {
    for (const auto& o : nat_outsides(nat))
        if (o.interface == ifname) return true;
    return false;
}

NatNode nat_on_outside(const NatNode& nat, std::size_t index) {
    auto all = nat_outsides(nat);
    NatNode view = nat;
    view.outside = all.at(index).interface;
    view.external_address = all.at(index).address;
    view.further_outsides.clear();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (i != index) view.further_outsides.push_back(all[i]);
    return view;
}

std::string outside_object_suffix(const NatNode& nat, std::size_t index) {
    if (index == 0) return "";
    // nft names take letters, digits and '_'; an interface name may hold more.
    std::string suffix = "_";
    for (char c : nat_outsides(nat).at(index).interface)
        suffix += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return suffix;
}

std::string describe_outsides(const NatNode& nat) {
    std::string out;
    for (const auto& o : nat_outsides(nat))
        out += (out.empty() ? "" : ", ") + o.interface + " (" + o.address.str() + ")";
    return out;
}

}  // namespace natlab
