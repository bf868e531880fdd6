// natlab capture's pure parts: the pcapng blocks, the one-line summary of a
// frame, and NODE:IFACE checked against the lab.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "core/capture/capture_target.hpp"
#include "core/capture/frame_summary.hpp"
#include "core/capture/pcapng.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/util/invalid_input.hpp"
#include "test_util.hpp"

namespace natlab {
namespace {

std::uint32_t word(const std::string& s, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, s.data() + at, 4);
    return v;
}

TEST(Pcapng, BlocksCarryTheirTypeAndLengthAtBothEnds) {
    for (const std::string& b :
         {pcapng_section_header(), pcapng_interface("nat0:wan", kLinkTypeEthernet, 65535),
          pcapng_packet(1, 1'700'000'000'123'456ull, std::vector<std::uint8_t>(61, 0xab), 61)}) {
        ASSERT_EQ(b.size() % 4, 0u);
        EXPECT_EQ(word(b, 4), b.size());
        EXPECT_EQ(word(b, b.size() - 4), b.size());
    }
    std::string shb = pcapng_section_header();
    EXPECT_EQ(word(shb, 0), 0x0A0D0D0Au);
    EXPECT_EQ(word(shb, 8), 0x1A2B3C4Du);  // byte-order magic
    std::string idb = pcapng_interface("nat0:wan", kLinkTypeEthernet, 65535);
    EXPECT_EQ(word(idb, 0), 1u);
    EXPECT_NE(idb.find("nat0:wan"), std::string::npos);  // if_name
    std::string epb =
        pcapng_packet(1, 1'700'000'000'123'456ull, std::vector<std::uint8_t>(61, 0xab), 99);
    EXPECT_EQ(word(epb, 0), 6u);
    EXPECT_EQ(word(epb, 8), 1u);  // interface
    EXPECT_EQ((std::uint64_t{word(epb, 12)} << 32) | word(epb, 16), 1'700'000'000'123'456ull);
    EXPECT_EQ(word(epb, 20), 61u);          // captured
    EXPECT_EQ(word(epb, 24), 99u);          // on the wire
    EXPECT_EQ(epb.size(), 28u + 64u + 4u);  // 61 bytes padded to 64
}

// Ethernet + IPv4 + UDP from 10.0.1.2:5000 to 100.64.2.100:4000, 5 bytes.
std::vector<std::uint8_t> udp_frame() {
    std::vector<std::uint8_t> f(14 + 20 + 8 + 5, 0);
    f[12] = 0x08;
    f[14] = 0x45;
    f[16] = 0;
    f[17] = 20 + 8 + 5;
    f[23] = 17;
    const std::uint8_t src[] = {10, 0, 1, 2}, dst[] = {100, 64, 2, 100};
    std::memcpy(&f[26], src, 4);
    std::memcpy(&f[30], dst, 4);
    f[34] = 5000 >> 8, f[35] = 5000 & 0xff, f[36] = 4000 >> 8, f[37] = 4000 & 0xff;
    return f;
}

TEST(FrameSummary, SaysWhatAFrameCarries) {
    EXPECT_EQ(summarize_frame(udp_frame()), "UDP 10.0.1.2:5000 > 100.64.2.100:4000 len 5");
    auto icmp = udp_frame();
    icmp[23] = 1;
    icmp[34] = 8;
    icmp[35] = 0;
    EXPECT_EQ(summarize_frame(icmp), "ICMP 10.0.1.2 > 100.64.2.100 echo request");
    auto arp = std::vector<std::uint8_t>(42, 0);
    arp[12] = 0x08, arp[13] = 0x06, arp[21] = 1;
    arp[28] = 10, arp[31] = 2, arp[38] = 10, arp[41] = 1;
    EXPECT_EQ(summarize_frame(arp), "ARP who has 10.0.0.1? tell 10.0.0.2");
    EXPECT_EQ(summarize_frame(std::vector<std::uint8_t>(10, 0)), "short frame (10 bytes)");
}

using test::refusal;

TEST(CaptureTargets, NodeAndInterfaceOrEveryInterfaceOfANode) {
    Lab lab = load_lab_file(test::source_path("labs/two-nat.yaml")).lab;
    auto labels = [&](std::vector<std::string> words) {
        std::vector<std::string> out;
        for (const auto& t : capture_targets(lab, words)) out.push_back(t.label());
        return out;
    };
    EXPECT_EQ(labels({"nat0:wan", "nat1:wan"}), (std::vector<std::string>{"nat0:wan", "nat1:wan"}));
    EXPECT_EQ(labels({"nat0", "nat0:wan"}), (std::vector<std::string>{"nat0:lan", "nat0:wan"}));
    EXPECT_EQ(refusal([&] { capture_targets(lab, {"nat0:wam"}); }),
              "natlab capture: node nat0 of lab two-nat has no interface 'wam'; its interfaces are "
              "lan, wan; did you mean 'wan'?");
    EXPECT_EQ(refusal([&] { capture_targets(lab, {"nat9:wan"}); }),
              "natlab capture: lab two-nat has no node 'nat9'; its nodes are c0, c1, nat0, nat1, "
              "internet; did you mean 'nat0' or 'nat1'?");
}

}  // namespace
}  // namespace natlab
