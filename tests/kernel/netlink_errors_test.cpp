// Root only: the netlink adapter reports what the kernel refused and why,
// in a scratch namespace that the test removes again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <optional>

#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"

using namespace natlab;

class NetlinkErrors : public testing::Test {
  protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root";
        name_ = "natlab-kt-" + std::to_string(::getpid());
        fd_ = create_netns(name_);
        guard_.emplace(fd_.get(), name_);
    }
    void TearDown() override {
        guard_.reset();
        if (!name_.empty()) delete_netns(name_);
    }
    static std::string message_of(const std::function<void(RouteSocket&)>& op) {
        RouteSocket sock;
        try {
            op(sock);
        } catch (const KernelError& e) {
            return e.what();
        }
        return "no error";
    }
    std::string name_;
    UniqueFd fd_;
    std::optional<NetnsGuard> guard_;
};

TEST_F(NetlinkErrors, MissingInterfaceNamesTheStepAndErrno) {
    EXPECT_EQ(message_of([](RouteSocket& s) { s.set_up("nope0", "", "bringing up x:nope0"); }),
              "bringing up x:nope0: No such device");
}

TEST_F(NetlinkErrors, UnreachableGatewayCarriesTheKernelsOwnMessage) {
    auto msg = message_of([](RouteSocket& s) {
        s.add_route(*Cidr::parse("0.0.0.0/0"), *IpAddress::parse("192.0.2.1"), "",
                    "adding default route");
    });
    // errno's text, then the extended acknowledgement in parentheses.
    EXPECT_EQ(msg.rfind("adding default route: Network is unreachable (", 0), 0u) << msg;
    EXPECT_EQ(msg.back(), ')') << msg;
    std::cout << "kernel said: " << msg << "\n";
}

TEST_F(NetlinkErrors, DuplicateVethNameIsFileExists) {
    RouteSocket sock;
    const std::string a0 = "a0", b0 = "b0", b1 = "b1";
    sock.create_veth({a0, fd_.get()}, {b0, fd_.get()}, 0, "first");
    auto msg = message_of([&](RouteSocket& s) {
        s.create_veth({a0, fd_.get()}, {b1, fd_.get()}, 0, "creating a0");
    });
    EXPECT_EQ(msg.rfind("creating a0: File exists", 0), 0u) << msg;
    auto links = sock.links();
    EXPECT_EQ(
        std::count_if(links.begin(), links.end(), [](const LinkInfo& l) { return l.name == "a0"; }),
        1);
}

// The indexes a plan gives both ends are the ones the kernel uses; one that is
// taken is refused with the step named.
TEST_F(NetlinkErrors, VethEndsTakeTheIndexesAskedFor) {
    RouteSocket sock;
    const std::string a = "ia0", b = "ib0", c = "ic0", d = "id0";
    sock.create_veth({a, fd_.get(), 40}, {b, fd_.get(), 41}, 0, "first");
    EXPECT_EQ(sock.link(a, "reading ia0").index, 40);
    EXPECT_EQ(sock.link(b, "reading ib0").index, 41);
    auto msg = message_of([&](RouteSocket& s) {
        s.create_veth({c, fd_.get(), 40}, {d, fd_.get(), 42}, 0, "creating ic0");
    });
    EXPECT_EQ(msg.rfind("creating ic0: ", 0), 0u) << msg;
    std::cout << "kernel said: " << msg << "\n";
}

TEST_F(NetlinkErrors, OneLinkIsAskedForByName) {
    RouteSocket sock;
    sock.set_up("lo", "natlab lab=kt node=x", "marking lo");
    LinkInfo lo = sock.link("lo", "reading lo");
    EXPECT_EQ(lo.name, "lo");
    EXPECT_EQ(lo.alias, "natlab lab=kt node=x");
    EXPECT_TRUE(lo.up);
    EXPECT_EQ(message_of([](RouteSocket& s) { s.link("nope0", "reading nope0"); }),
              "reading nope0: No such device");
}

// What an ND-proxy node holds reads back as the plan wrote it: a proxy entry
// (dumped apart from ordinary neighbours), a host route through an interface
// without a gateway, and a route through a link-local gateway on a named one.
TEST_F(NetlinkErrors, ProxyEntriesAndRoutesThroughADeviceReadBack) {
    RouteSocket sock;
    const std::string wan = "pw0", lan = "pl0";
    sock.create_veth({wan, fd_.get()}, {lan, fd_.get()}, 0, "creating pw0");
    sock.set_up(wan, "", "bringing up pw0");
    sock.set_up(lan, "", "bringing up pl0");
    const IpAddress host = *IpAddress::parse("2001:db8::100");
    sock.add_proxy_neighbour(wan, host, "answering for 2001:db8::100 on pw0");
    sock.add_route(*Cidr::parse("2001:db8::100/128"), std::nullopt, lan, "routing to the host");
    sock.add_route(*Cidr::parse("::/0"), *IpAddress::parse("fe80::1"), wan, "default via fe80::1");
    int wan_index = sock.link(wan, "reading pw0").index;
    int lan_index = sock.link(lan, "reading pl0").index;
    auto proxies = sock.proxy_neighbours();
    ASSERT_EQ(proxies.size(), 1u);
    EXPECT_EQ(proxies[0].address, host);
    EXPECT_EQ(proxies[0].ifindex, wan_index);
    auto routes = sock.routes();
    auto find = [&](const std::string& destination) {
        return std::find_if(routes.begin(), routes.end(), [&](const RouteInfo& r) {
            return r.destination == *Cidr::parse(destination);
        });
    };
    auto to_host = find("2001:db8::100/128");
    ASSERT_NE(to_host, routes.end());
    EXPECT_FALSE(to_host->gateway);
    EXPECT_TRUE(to_host->on_link_added);
    EXPECT_EQ(to_host->ifindex, lan_index);
    auto fallback = find("::/0");
    ASSERT_NE(fallback, routes.end());
    EXPECT_EQ(fallback->gateway, IpAddress::parse("fe80::1"));
    EXPECT_EQ(fallback->ifindex, wan_index);
    // The kernel's own route to a link's prefix is not counted as added.
    auto link_local = find("fe80::/64");
    ASSERT_NE(link_local, routes.end());
    EXPECT_FALSE(link_local->on_link_added);
    EXPECT_EQ(message_of([&](RouteSocket& s) {
                  s.add_proxy_neighbour("nope0", host, "answering on nope0");
              }),
              "answering on nope0: No such device");
}
