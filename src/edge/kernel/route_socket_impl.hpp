#pragma once
// What RouteSocket's parts share (netlink.cpp for links, addresses and
// routes; qdisc.cpp for queueing disciplines): the libnl socket, the
// kernel's last error with its extended-ack text, owners of libnl objects.
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include <cstring>
#include <memory>
#include <string>

#include "edge/kernel/netlink.hpp"
#include "edge/system/error.hpp"

namespace natlab {

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using LinkPtr = std::unique_ptr<rtnl_link, Deleter<rtnl_link, rtnl_link_put>>;
using AddrPtr = std::unique_ptr<rtnl_addr, Deleter<rtnl_addr, rtnl_addr_put>>;
using RoutePtr = std::unique_ptr<rtnl_route, Deleter<rtnl_route, rtnl_route_put>>;
using NlAddrPtr = std::unique_ptr<nl_addr, Deleter<nl_addr, nl_addr_put>>;
using CachePtr = std::unique_ptr<nl_cache, Deleter<nl_cache, nl_cache_free>>;
using SockPtr = std::unique_ptr<nl_sock, Deleter<nl_sock, nl_socket_free>>;

// The last error the kernel sent: errno plus its extended-ack text.
struct KernelAck {
    int error = 0;
    std::string message;
};

struct RouteSocket::Impl {
    SockPtr sock;
    KernelAck ack;

    [[noreturn]] void fail(const std::string& what, int nl_err) {
        std::string reason = ack.error ? std::strerror(ack.error) : nl_geterror(nl_err);
        if (!ack.message.empty()) reason += " (" + ack.message + ")";
        ack = {};
        throw KernelError(what + ": " + reason);
    }
    void check(int nl_err, const std::string& what) {
        if (nl_err < 0) fail(what, nl_err);
        ack = {};
    }
};

}  // namespace natlab
