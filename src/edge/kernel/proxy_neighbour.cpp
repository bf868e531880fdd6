// RouteSocket's proxy neighbour entries: the IPv6 addresses a namespace
// answers neighbour solicitations for on an interface, as
// 'ip -6 neigh add proxy ADDR dev IF' makes them. The kernel consults them
// where the interface forwards and its proxy_ndp sysctl is on.
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/neighbour.h>
#include <sys/socket.h>

#include <cstring>

#include "edge/kernel/netlink.hpp"
#include "edge/kernel/route_socket_impl.hpp"

namespace natlab {
namespace {

using NeighPtr = std::unique_ptr<rtnl_neigh, Deleter<rtnl_neigh, rtnl_neigh_put>>;
using MsgPtr = std::unique_ptr<nl_msg, Deleter<nl_msg, nlmsg_free>>;
using CallbacksPtr = std::unique_ptr<nl_cb, Deleter<nl_cb, nl_cb_put>>;

int on_entry(nl_msg* msg, void* arg) {
    auto* out = static_cast<std::vector<ProxyNeighbourInfo>*>(arg);
    nlmsghdr* header = nlmsg_hdr(msg);
    if (header->nlmsg_type != RTM_NEWNEIGH) return NL_OK;
    if (header->nlmsg_len < NLMSG_LENGTH(sizeof(ndmsg))) return NL_OK;
    const auto* nd = static_cast<const ndmsg*>(nlmsg_data(header));
    if (nd->ndm_family != AF_INET6 || !(nd->ndm_flags & NTF_PROXY)) return NL_OK;
    nlattr* dst = nlmsg_find_attr(header, sizeof(ndmsg), NDA_DST);
    if (!dst || nla_len(dst) != 16) return NL_OK;
    ProxyNeighbourInfo info;
    info.ifindex = nd->ndm_ifindex;
    info.address.family = Family::ipv6;
    std::memcpy(info.address.bytes.data(), nla_data(dst), 16);
    out->push_back(info);
    return NL_OK;
}

}  // namespace

void RouteSocket::add_proxy_neighbour(const std::string& ifname, const IpAddress& address,
                                      const std::string& what) {
    int index = ifindex(ifname, what);
    NeighPtr neigh(rtnl_neigh_alloc());
    if (!neigh) throw KernelError(what + ": out of memory");
    NlAddrPtr dst(nl_addr_build(AF_INET6, address.bytes.data(), 16));
    if (!dst) throw KernelError(what + ": out of memory");
    rtnl_neigh_set_ifindex(neigh.get(), index);
    impl_->check(rtnl_neigh_set_dst(neigh.get(), dst.get()), what);
    rtnl_neigh_set_flags(neigh.get(), NTF_PROXY);
    impl_->check(rtnl_neigh_add(impl_->sock.get(), neigh.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

// libnl's neighbour cache asks for the ordinary entries only: the kernel
// dumps the proxy ones when the request's ndmsg carries NTF_PROXY alone.
std::vector<ProxyNeighbourInfo> RouteSocket::proxy_neighbours() {
    const std::string what = "listing proxy neighbour entries";
    std::vector<ProxyNeighbourInfo> out;
    MsgPtr msg(nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP));
    if (!msg) throw KernelError(what + ": out of memory");
    ndmsg request{};
    request.ndm_family = AF_INET6;
    request.ndm_flags = NTF_PROXY;
    impl_->check(nlmsg_append(msg.get(), &request, sizeof request, NLMSG_ALIGNTO), what);
    impl_->check(nl_send_auto(impl_->sock.get(), msg.get()), what);
    // The socket's own callbacks (its error handler) with this answer's reader.
    CallbacksPtr own(nl_socket_get_cb(impl_->sock.get()));
    CallbacksPtr callbacks(nl_cb_clone(own.get()));
    if (!callbacks) throw KernelError(what + ": out of memory");
    nl_cb_set(callbacks.get(), NL_CB_VALID, NL_CB_CUSTOM, on_entry, &out);
    impl_->check(nl_recvmsgs(impl_->sock.get(), callbacks.get()), what);
    return out;
}

}  // namespace natlab
