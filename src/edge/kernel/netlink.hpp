#pragma once
// rtnetlink through libnl-3: links, addresses and routes in the namespace the
// socket was opened in. Errors carry errno's text and the kernel's extended
// acknowledgement message when it sent one.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/condition/condition.hpp"
#include "core/status/snapshot.hpp"
#include "core/util/ip.hpp"
#include "core/util/mac.hpp"

struct nl_sock;

namespace natlab {

class RouteSocket {
  public:
    // Opens a NETLINK_ROUTE socket in the calling thread's current namespace.
    RouteSocket();
    ~RouteSocket();
    RouteSocket(RouteSocket&&) noexcept;
    RouteSocket& operator=(RouteSocket&&) noexcept;

    // Each "what" names the operation for the error message.
    // One end of a veth pair: its name, the namespace it is made in, and its
    // interface index there (0: the kernel's choice).
    struct VethEnd {
        const std::string& name;
        int netns;
        int index = 0;
        const MacAddress* mac = nullptr;  // none: the kernel's random one
    };
    void create_veth(const VethEnd& a, const VethEnd& b, int mtu, const std::string& what);
    void create_bridge(const std::string& name, int index, const std::string& what);
    void set_master(const std::string& port, const std::string& bridge, const std::string& what);
    void set_up(const std::string& name, const std::string& alias, const std::string& what);
    void set_down(const std::string& name, const std::string& what);
    // `preferred` false: an IPv6 address the kernel never picks as a source
    // (preferred lifetime 0: deprecated, RFC 4862 5.5.4), which a socket bound
    // to it still uses; for addresses a probe adds beside a node's own.
    void add_address(const std::string& ifname, const Cidr& address, const std::string& what,
                     bool preferred = true);
    void delete_address(const std::string& ifname, const Cidr& address, const std::string& what);
    // Without a gateway the destination is on `device`'s link; with one,
    // `device` may name the interface (a link-local gateway needs it).
    void add_route(const Cidr& destination, const std::optional<IpAddress>& gateway,
                   const std::string& device, const std::string& what);

    // A leased IPv4 address (a DHCP client's): added or, when the interface
    // has it, replaced, valid and preferred for `lifetime_s` seconds, so the
    // kernel itself removes it when the lease runs out unrenewed.
    void set_leased_address(const std::string& ifname, const Cidr& address,
                            std::uint32_t lifetime_s, const std::string& what);
    // A route added or replaced as a DHCP client's ("proto dhcp"), and one
    // removed; removing a route that is not there is no error.
    void set_dhcp_route(const Cidr& destination, const IpAddress& gateway,
                        const std::string& device, const std::string& what);
    void delete_route(const Cidr& destination, const std::optional<IpAddress>& gateway,
                      const std::string& device, const std::string& what);

    // Proxy neighbour entries (proxy_neighbour.cpp): the namespace answers
    // IPv6 neighbour solicitations for `address` on `ifname`.
    void add_proxy_neighbour(const std::string& ifname, const IpAddress& address,
                             const std::string& what);
    std::vector<ProxyNeighbourInfo> proxy_neighbours();

    // Queueing disciplines (qdisc.cpp): the condition of what `ifname` sends,
    // replacing whatever it had; an empty condition removes natlab's.
    void set_condition(const std::string& ifname, const LinkCondition& condition,
                       const std::string& what);
    // What the kernel holds as natlab would have set it (netem at the root
    // with a tbf under it, or a tbf alone), by interface index, from one
    // dump; interfaces with anything else are left out.
    std::map<int, LinkCondition> conditions();

    std::vector<LinkInfo> links();
    LinkInfo link(const std::string& name, const std::string& what);
    std::vector<AddressInfo> addresses();
    std::vector<RouteInfo> routes();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int ifindex(const std::string& name, const std::string& what);
};

}  // namespace natlab
