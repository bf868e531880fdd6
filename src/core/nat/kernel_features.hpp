#pragma once
// Why a kernel refuses a NAT node's rules, in words a person can act on.
// nft marks the part of a rule the kernel refused; the first word of that
// part names the kernel feature it needs.
#include <optional>
#include <string>
#include <string_view>

namespace natlab {

struct KernelFeature {
    std::string_view what;    // "masquerading"
    std::string_view config;  // the kernel option that builds it: "CONFIG_NFT_MASQ"
    std::string_view since;   // the first Linux release that has it: "3.18"
};

// The feature behind the part of a rule nft marked ("masquerade to :20000-20099").
std::optional<KernelFeature> feature_of(std::string_view refused_part);

// The part nft marked in its error text ("line 14:37-68: Error: ...", the
// rule, then ^^^ under the part), or "" when it marked none.
std::string refused_part(std::string_view nft_error);

// What to tell about a NAT node whose rules this kernel refuses, from nft's
// error text: what the kernel said, the part refused, the feature and where
// to get it.
std::string explain_refused_rules(std::string_view nft_error);

}  // namespace natlab
