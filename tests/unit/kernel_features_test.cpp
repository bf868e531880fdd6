// What natlab says when a kernel refuses a NAT node's rules, from nft's own
// error text (as libnftables writes it for natlab: "line L:C1-C2: ...").
#include <gtest/gtest.h>

#include "core/nat/kernel_features.hpp"

namespace natlab {
namespace {

// What nft printed on this machine for a queue statement, which its kernel
// is built without.
constexpr const char* kQueueRefused =
    "line 6:15-19: Error: Could not process rule: No such file or directory\n"
    "\t\tudp dport 2 queue num 0\n"
    "\t\t            ^^^^^";

TEST(KernelFeatures, ThePartNftMarkedIsCutFromTheRule) {
    EXPECT_EQ(refused_part(kQueueRefused), "queue");
    EXPECT_EQ(refused_part("line 3:5-100: Error: x\nshort\n    ^^^"), "");  // past the end
    EXPECT_EQ(refused_part("Error: Could not process rule: Invalid argument\ntable ip natlab {"),
              "");
}

TEST(KernelFeatures, TheFeatureIsNamedWithItsKernelOptionAndRelease) {
    EXPECT_EQ(explain_refused_rules(kQueueRefused),
              "this kernel refuses its NAT rules (Could not process rule: No such file or "
              "directory) at 'queue': it needs queueing packets to a program (kernel option "
              "CONFIG_NFT_QUEUE, in Linux since 3.15); load its module or use a kernel built "
              "with it");
    auto masq = feature_of("masquerade to :20000-20099 fully-random");
    ASSERT_TRUE(masq);
    EXPECT_EQ(masq->config, "CONFIG_NFT_MASQ");
    EXPECT_FALSE(feature_of("@taken"));
}

TEST(KernelFeatures, AnUnknownRefusalStillSaysWhatNatlabNeeds) {
    EXPECT_EQ(explain_refused_rules("line 14:41-48: Error: Could not process rule: Invalid "
                                    "argument\n\t\toifname \"wan\" meta l4proto . th sport "
                                    "@inbound masquerade\n\t\t\t\t\t\t^^^^^^^^"),
              "this kernel refuses its NAT rules (Could not process rule: Invalid argument) at "
              "'@inbound'; natlab needs Linux 6.1 or later with nftables");
}

}  // namespace
}  // namespace natlab
