#include "edge/kernel/netlink.hpp"

#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "edge/kernel/route_socket_impl.hpp"
#include "edge/system/error.hpp"

namespace natlab {
namespace {

int af(Family f) {
    return f == Family::ipv4 ? AF_INET : AF_INET6;
}

NlAddrPtr to_nl(const IpAddress& ip, int prefix) {
    nl_addr* a = nl_addr_build(af(ip.family), ip.bytes.data(), ip.family == Family::ipv4 ? 4 : 16);
    if (!a) throw KernelError("out of memory building a netlink address");
    nl_addr_set_prefixlen(a, prefix);
    return NlAddrPtr(a);
}

AddrPtr address_object(int ifindex, const Cidr& address, const std::string& what) {
    AddrPtr addr(rtnl_addr_alloc());
    if (!addr) throw KernelError(what + ": out of memory");
    rtnl_addr_set_ifindex(addr.get(), ifindex);
    auto local = to_nl(address.address, address.prefix);
    if (rtnl_addr_set_local(addr.get(), local.get()) < 0) throw KernelError(what + ": bad address");
    rtnl_addr_set_prefixlen(addr.get(), address.prefix);
    return addr;
}

IpAddress from_nl(nl_addr* a) {
    IpAddress ip;
    ip.family = nl_addr_get_family(a) == AF_INET6 ? Family::ipv6 : Family::ipv4;
    std::memcpy(ip.bytes.data(), nl_addr_get_binary_addr(a),
                std::min<unsigned>(nl_addr_get_len(a), 16));
    return ip;
}

int on_error(sockaddr_nl*, nlmsgerr* err, void* arg) {
    auto* ack = static_cast<KernelAck*>(arg);
    ack->error = -err->error;
    ack->message.clear();
    // The error message sits right after its netlink header; extended-ack
    // attributes follow the echoed request (or just its header when capped).
    auto* header = reinterpret_cast<nlmsghdr*>(reinterpret_cast<char*>(err) - NLMSG_HDRLEN);
    if (header->nlmsg_flags & NLM_F_ACK_TLVS) {
        std::size_t offset = sizeof(*err);
        if (!(header->nlmsg_flags & NLM_F_CAPPED)) offset += err->msg.nlmsg_len - NLMSG_HDRLEN;
        auto* attrs = reinterpret_cast<nlattr*>(reinterpret_cast<char*>(err) + offset);
        int len = static_cast<int>(header->nlmsg_len) - NLMSG_HDRLEN - static_cast<int>(offset);
        if (len > 0) {
            if (nlattr* msg = nla_find(attrs, len, NLMSGERR_ATTR_MSG))
                ack->message = nla_get_string(msg);
        }
    }
    return NL_STOP;
}

}  // namespace

RouteSocket::RouteSocket() : impl_(std::make_unique<Impl>()) {
    impl_->sock.reset(nl_socket_alloc());
    if (!impl_->sock) throw KernelError("allocating a netlink socket: out of memory");
    if (int err = nl_connect(impl_->sock.get(), NETLINK_ROUTE); err < 0) {
        // libnl says "Unspecific failure" for what socket(2) refused: say why.
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
            throw_errno("opening a netlink socket", errno);
        throw KernelError(std::string("opening a netlink socket: ") + nl_geterror(err));
    }
    int one = 1, fd = nl_socket_get_fd(impl_->sock.get());
    ::setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    ::setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    nl_socket_modify_err_cb(impl_->sock.get(), NL_CB_CUSTOM, on_error, &impl_->ack);
    // One read per answer instead of a peek for its size first: a buffer
    // larger than any message the kernel sends here (dumps come in 32 KiB at most).
    nl_socket_disable_msg_peek(impl_->sock.get());
    nl_socket_set_msg_buf_size(impl_->sock.get(), 64 * 1024);
}

RouteSocket::~RouteSocket() = default;
RouteSocket::RouteSocket(RouteSocket&&) noexcept = default;
RouteSocket& RouteSocket::operator=(RouteSocket&&) noexcept = default;

int RouteSocket::ifindex(const std::string& name, const std::string& what) {
    return link(name, what).index;
}

void RouteSocket::create_veth(const VethEnd& a, const VethEnd& b, int mtu,
                              const std::string& what) {
    LinkPtr link(rtnl_link_veth_alloc());
    if (!link) throw KernelError(what + ": out of memory");
    rtnl_link* peer = rtnl_link_veth_get_peer(link.get());
    rtnl_link_set_name(link.get(), a.name.c_str());
    rtnl_link_set_ns_fd(link.get(), a.netns);
    rtnl_link_set_name(peer, b.name.c_str());
    rtnl_link_set_ns_fd(peer, b.netns);
    // The kernel takes the peer's index only when the first end names one too.
    if (a.index && b.index) {
        rtnl_link_set_ifindex(link.get(), a.index);
        rtnl_link_set_ifindex(peer, b.index);
    }
    // Without a queue count the kernel gives each end one queue per CPU and
    // then cuts that to one, waiting for an RCU grace period under the rtnl
    // lock every time; asking for one queue up front skips both.
    for (rtnl_link* end : {link.get(), peer}) {
        rtnl_link_set_num_tx_queues(end, 1);
        rtnl_link_set_num_rx_queues(end, 1);
    }
    for (auto [end, mac] : {std::pair{link.get(), a.mac}, std::pair{peer, b.mac}}) {
        if (!mac) continue;
        NlAddrPtr lladdr(nl_addr_build(AF_LLC, mac->bytes.data(), mac->bytes.size()));
        if (!lladdr) throw KernelError(what + ": out of memory");
        rtnl_link_set_addr(end, lladdr.get());
    }
    if (mtu) {
        rtnl_link_set_mtu(link.get(), static_cast<unsigned>(mtu));
        rtnl_link_set_mtu(peer, static_cast<unsigned>(mtu));
    }
    rtnl_link_put(peer);  // veth_get_peer took a reference
    impl_->check(rtnl_link_add(impl_->sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

void RouteSocket::create_bridge(const std::string& name, int index, const std::string& what) {
    LinkPtr link(rtnl_link_alloc());
    if (!link) throw KernelError(what + ": out of memory");
    rtnl_link_set_name(link.get(), name.c_str());
    if (index) rtnl_link_set_ifindex(link.get(), index);
    impl_->check(rtnl_link_set_type(link.get(), "bridge"), what);
    impl_->check(rtnl_link_add(impl_->sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

void RouteSocket::set_master(const std::string& port, const std::string& bridge,
                             const std::string& what) {
    int master = ifindex(bridge, what);
    int slave = ifindex(port, what);
    impl_->check(rtnl_link_enslave_ifindex(impl_->sock.get(), master, slave), what);
}

void RouteSocket::set_up(const std::string& name, const std::string& alias,
                         const std::string& what) {
    LinkPtr orig(rtnl_link_alloc()), change(rtnl_link_alloc());
    if (!orig || !change) throw KernelError(what + ": out of memory");
    rtnl_link_set_name(orig.get(), name.c_str());
    rtnl_link_set_name(change.get(), name.c_str());
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (!alias.empty()) rtnl_link_set_ifalias(change.get(), alias.c_str());
    impl_->check(rtnl_link_change(impl_->sock.get(), orig.get(), change.get(), 0), what);
}

void RouteSocket::set_down(const std::string& name, const std::string& what) {
    LinkPtr orig(rtnl_link_alloc()), change(rtnl_link_alloc());
    if (!orig || !change) throw KernelError(what + ": out of memory");
    rtnl_link_set_name(orig.get(), name.c_str());
    rtnl_link_set_name(change.get(), name.c_str());
    rtnl_link_unset_flags(change.get(), IFF_UP);
    impl_->check(rtnl_link_change(impl_->sock.get(), orig.get(), change.get(), 0), what);
}

void RouteSocket::add_address(const std::string& ifname, const Cidr& address,
                              const std::string& what, bool preferred) {
    AddrPtr addr = address_object(ifindex(ifname, what), address, what);
    if (address.address.family == Family::ipv4 && address.prefix < 31) {
        auto broadcast = to_nl(address.last(), address.prefix);
        rtnl_addr_set_broadcast(addr.get(), broadcast.get());
    }
    // A lab's addresses are unique by validation; duplicate address detection
    // would only keep IPv6 addresses unusable for a second or more.
    if (address.address.family == Family::ipv6) rtnl_addr_set_flags(addr.get(), IFA_F_NODAD);
    if (!preferred && address.address.family == Family::ipv6) {
        rtnl_addr_set_valid_lifetime(addr.get(), 0xFFFFFFFF);  // forever
        rtnl_addr_set_preferred_lifetime(addr.get(), 0);
    }
    impl_->check(rtnl_addr_add(impl_->sock.get(), addr.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

void RouteSocket::delete_address(const std::string& ifname, const Cidr& address,
                                 const std::string& what) {
    AddrPtr addr = address_object(ifindex(ifname, what), address, what);
    impl_->check(rtnl_addr_delete(impl_->sock.get(), addr.get(), 0), what);
}

void RouteSocket::set_leased_address(const std::string& ifname, const Cidr& address,
                                     std::uint32_t lifetime_s, const std::string& what) {
    AddrPtr addr = address_object(ifindex(ifname, what), address, what);
    if (address.address.family == Family::ipv4 && address.prefix < 31) {
        auto broadcast = to_nl(address.last(), address.prefix);
        rtnl_addr_set_broadcast(addr.get(), broadcast.get());
    }
    rtnl_addr_set_valid_lifetime(addr.get(), lifetime_s);
    rtnl_addr_set_preferred_lifetime(addr.get(), lifetime_s);
    impl_->check(rtnl_addr_add(impl_->sock.get(), addr.get(), NLM_F_CREATE | NLM_F_REPLACE), what);
}

namespace {

RoutePtr route_object(const Cidr& destination, const std::optional<IpAddress>& gateway, int index,
                      const std::string& what) {
    RoutePtr route(rtnl_route_alloc());
    if (!route) throw KernelError(what + ": out of memory");
    auto dst = to_nl(destination.address, destination.prefix);
    if (rtnl_route_set_dst(route.get(), dst.get()) < 0)
        throw KernelError(what + ": bad destination");
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    if (!hop) throw KernelError(what + ": out of memory");
    rtnl_route_add_nexthop(route.get(), hop);  // the route now owns the hop
    if (gateway) {
        auto gw = to_nl(*gateway, gateway->bit_width());
        rtnl_route_nh_set_gateway(hop, gw.get());
    }
    if (index) rtnl_route_nh_set_ifindex(hop, index);
    rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
    return route;
}

}  // namespace

void RouteSocket::set_dhcp_route(const Cidr& destination, const IpAddress& gateway,
                                 const std::string& device, const std::string& what) {
    RoutePtr route = route_object(destination, gateway, ifindex(device, what), what);
    rtnl_route_set_protocol(route.get(), RTPROT_DHCP);
    impl_->check(rtnl_route_add(impl_->sock.get(), route.get(), NLM_F_CREATE | NLM_F_REPLACE),
                 what);
}

void RouteSocket::delete_route(const Cidr& destination, const std::optional<IpAddress>& gateway,
                               const std::string& device, const std::string& what) {
    RoutePtr route =
        route_object(destination, gateway, device.empty() ? 0 : ifindex(device, what), what);
    int err = rtnl_route_delete(impl_->sock.get(), route.get(), 0);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR || err == -NLE_NODEV) return;
    impl_->check(err, what);
}

void RouteSocket::add_route(const Cidr& destination, const std::optional<IpAddress>& gateway,
                            const std::string& device, const std::string& what) {
    RoutePtr route =
        route_object(destination, gateway, device.empty() ? 0 : ifindex(device, what), what);
    rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
    impl_->check(rtnl_route_add(impl_->sock.get(), route.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

namespace {

LinkInfo link_info(rtnl_link* link) {
    LinkInfo info;
    info.index = rtnl_link_get_ifindex(link);
    info.name = rtnl_link_get_name(link) ? rtnl_link_get_name(link) : "";
    info.alias = rtnl_link_get_ifalias(link) ? rtnl_link_get_ifalias(link) : "";
    info.up = rtnl_link_get_flags(link) & IFF_UP;
    info.mtu = static_cast<int>(rtnl_link_get_mtu(link));
    return info;
}

template <class Fn>
void each(nl_cache* cache, Fn fn) {
    for (nl_object* obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) fn(obj);
}

}  // namespace

std::vector<LinkInfo> RouteSocket::links() {
    nl_cache* raw = nullptr;
    impl_->check(rtnl_link_alloc_cache(impl_->sock.get(), AF_UNSPEC, &raw), "listing links");
    CachePtr cache(raw);
    std::vector<LinkInfo> out;
    each(cache.get(),
         [&](nl_object* obj) { out.push_back(link_info(reinterpret_cast<rtnl_link*>(obj))); });
    return out;
}

LinkInfo RouteSocket::link(const std::string& name, const std::string& what) {
    rtnl_link* raw = nullptr;
    int err = rtnl_link_get_kernel(impl_->sock.get(), 0, name.c_str(), &raw);
    LinkPtr link(raw);
    impl_->check(err, what);
    return link_info(link.get());
}

std::vector<AddressInfo> RouteSocket::addresses() {
    nl_cache* raw = nullptr;
    impl_->check(rtnl_addr_alloc_cache(impl_->sock.get(), &raw), "listing addresses");
    CachePtr cache(raw);
    std::vector<AddressInfo> out;
    each(cache.get(), [&](nl_object* obj) {
        auto* addr = reinterpret_cast<rtnl_addr*>(obj);
        nl_addr* local = rtnl_addr_get_local(addr);
        if (!local) return;
        out.push_back(
            {rtnl_addr_get_ifindex(addr), Cidr{from_nl(local), rtnl_addr_get_prefixlen(addr)}});
    });
    return out;
}

std::vector<RouteInfo> RouteSocket::routes() {
    nl_cache* raw = nullptr;
    impl_->check(rtnl_route_alloc_cache(impl_->sock.get(), AF_UNSPEC, 0, &raw), "listing routes");
    CachePtr cache(raw);
    std::vector<RouteInfo> out;
    each(cache.get(), [&](nl_object* obj) {
        auto* route = reinterpret_cast<rtnl_route*>(obj);
        if (rtnl_route_get_table(route) != RT_TABLE_MAIN) return;
        int family = rtnl_route_get_family(route);
        if (family != AF_INET && family != AF_INET6) return;
        RouteInfo info;
        nl_addr* dst = rtnl_route_get_dst(route);
        info.destination.address.family = family == AF_INET6 ? Family::ipv6 : Family::ipv4;
        if (dst && nl_addr_get_len(dst)) info.destination.address = from_nl(dst);
        info.destination.prefix = dst ? static_cast<int>(nl_addr_get_prefixlen(dst)) : 0;
        if (rtnl_route_get_nnexthops(route) > 0) {
            rtnl_nexthop* hop = rtnl_route_nexthop_n(route, 0);
            if (nl_addr* gw = rtnl_route_nh_get_gateway(hop)) info.gateway = from_nl(gw);
            info.ifindex = rtnl_route_nh_get_ifindex(hop);
        }
        info.on_link_added = !info.gateway && rtnl_route_get_protocol(route) != RTPROT_KERNEL;
        out.push_back(info);
    });
    return out;
}

}  // namespace natlab
