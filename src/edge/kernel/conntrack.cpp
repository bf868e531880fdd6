#include "edge/kernel/conntrack.hpp"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <sys/socket.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <netinet/in.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <iterator>
#include <vector>

#include "edge/system/error.hpp"

namespace natlab {

void ConntrackSocket::Close::operator()(mnl_socket* s) const {
    mnl_socket_close(s);
}

ConntrackSocket::ConntrackSocket(bool events) : sock_(mnl_socket_open(NETLINK_NETFILTER)) {
    if (!sock_) throw_errno("opening a conntrack netlink socket", errno);
    unsigned groups = events ? NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_UPDATE |
                                   NF_NETLINK_CONNTRACK_DESTROY
                             : 0;
    if (mnl_socket_bind(sock_.get(), groups, MNL_SOCKET_AUTOPID) < 0)
        throw_errno("binding a conntrack netlink socket", errno);
    port_id_ = mnl_socket_get_portid(sock_.get());
}

ConntrackSocket::~ConntrackSocket() = default;

namespace {

// A ctnetlink request of `type` for one address family, into buf.
nlmsghdr* put_request(std::vector<char>& buf, int type, int flags, std::uint8_t family,
                      unsigned seq) {
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
    nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    auto* nfh = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    nfh->nfgen_family = family;
    nfh->version = NFNETLINK_V0;
    nfh->res_id = 0;
    return nlh;
}

}  // namespace

void ConntrackSocket::flush(Family family, const std::string& what) {
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    // A delete with no tuple attributes deletes the whole table of that family.
    nlmsghdr* nlh = put_request(buf, IPCTNL_MSG_CT_DELETE, NLM_F_ACK,
                                family == Family::ipv4 ? AF_INET : AF_INET6, ++seq_);
    if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0)
        throw_errno(what + ": flushing conntrack", errno);
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
    if (n < 0) throw_errno(what + ": flushing conntrack", errno);
    if (mnl_cb_run(buf.data(), n, seq_, port_id_, nullptr, nullptr) < 0)
        throw_errno(what + ": flushing conntrack", errno);
}

namespace {

struct FreeConntrack {
    void operator()(nf_conntrack* ct) const { nfct_destroy(ct); }
};

std::uint32_t ipv4_of(const IpAddress& ip) {
    std::uint32_t v;
    std::memcpy(&v, ip.bytes.data(), sizeof v);
    return v;  // the bytes are in network order already
}

}  // namespace

void ConntrackSocket::remove(const ConntrackFlow& flow, const std::string& what) {
    std::unique_ptr<nf_conntrack, FreeConntrack> ct(nfct_new());
    if (!ct) throw_errno(what + ": deleting a conntrack entry", ENOMEM);
    nfct_set_attr_u8(ct.get(), ATTR_L3PROTO, AF_INET);
    nfct_set_attr_u8(ct.get(), ATTR_L4PROTO, flow.protocol == "tcp" ? IPPROTO_TCP : IPPROTO_UDP);
    nfct_set_attr_u32(ct.get(), ATTR_IPV4_SRC, ipv4_of(flow.original.src.ip));
    nfct_set_attr_u32(ct.get(), ATTR_IPV4_DST, ipv4_of(flow.original.dst.ip));
    nfct_set_attr_u16(ct.get(), ATTR_PORT_SRC, htons(flow.original.src.port));
    nfct_set_attr_u16(ct.get(), ATTR_PORT_DST, htons(flow.original.dst.port));
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = put_request(buf, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, AF_INET, ++seq_);
    if (nfct_nlmsg_build(nlh, ct.get()) < 0)
        throw_errno(what + ": deleting a conntrack entry", errno);
    if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0)
        throw_errno(what + ": deleting a conntrack entry", errno);
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
    if (n < 0) throw_errno(what + ": deleting a conntrack entry", errno);
    if (mnl_cb_run(buf.data(), n, seq_, port_id_, nullptr, nullptr) < 0 && errno != ENOENT)
        throw_errno(what + ": deleting a conntrack entry", errno);
}

namespace {

std::string protocol_name(std::uint8_t proto) {
    switch (proto) {
        case IPPROTO_UDP:
            return "udp";
        case IPPROTO_TCP:
            return "tcp";
        case IPPROTO_ICMP:
            return "icmp";
        case IPPROTO_ICMPV6:
            return "icmpv6";
        case IPPROTO_SCTP:
            return "sctp";
        default:
            return std::to_string(proto);
    }
}

std::string tcp_state_name(std::uint8_t state) {
    static const char* const names[] = {"NONE",     "SYN_SENT",   "SYN_RECV", "ESTABLISHED",
                                        "FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
                                        "CLOSE",    "SYN_SENT2"};
    return state < std::size(names) ? names[state] : std::to_string(state);
}

IpAddress address_attr(const nf_conntrack* ct, int family, nf_conntrack_attr v4,
                       nf_conntrack_attr v6) {
    IpAddress a;
    if (family == AF_INET6) {
        a.family = Family::ipv6;
        std::memcpy(a.bytes.data(), nfct_get_attr(ct, v6), 16);
    } else {
        std::uint32_t raw = nfct_get_attr_u32(ct, v4);  // network order
        std::memcpy(a.bytes.data(), &raw, 4);
    }
    return a;
}

Endpoint endpoint(const nf_conntrack* ct, int family, bool has_ports, nf_conntrack_attr v4,
                  nf_conntrack_attr v6, nf_conntrack_attr port) {
    std::uint16_t number = has_ports ? ntohs(nfct_get_attr_u16(ct, port)) : 0;
    return {address_attr(ct, family, v4, v6), number};
}

FlowEvent event_of(const nlmsghdr* nlh) {
    int type = nlh->nlmsg_type & 0xff;
    if (type == IPCTNL_MSG_CT_DELETE) return FlowEvent::destroyed;
    bool fresh = (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) != 0;
    return fresh ? FlowEvent::created : FlowEvent::updated;
}

ConntrackFlow parse_flow(const nlmsghdr* nlh, bool is_event) {
    std::unique_ptr<nf_conntrack, FreeConntrack> ct(nfct_new());
    ConntrackFlow flow;
    if (!ct || nfct_nlmsg_parse(nlh, ct.get()) < 0) return flow;
    const nf_conntrack* c = ct.get();
    int family = nfct_get_attr_u8(c, ATTR_ORIG_L3PROTO);
    std::uint8_t proto = nfct_get_attr_u8(c, ATTR_ORIG_L4PROTO);
    bool ports = proto == IPPROTO_UDP || proto == IPPROTO_TCP || proto == IPPROTO_SCTP;
    flow.event = is_event ? event_of(nlh) : FlowEvent::none;
    flow.protocol = protocol_name(proto);
    flow.original = {
        endpoint(c, family, ports, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC, ATTR_ORIG_PORT_SRC),
        endpoint(c, family, ports, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST, ATTR_ORIG_PORT_DST)};
    flow.reply = {
        endpoint(c, family, ports, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC, ATTR_REPL_PORT_SRC),
        endpoint(c, family, ports, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST, ATTR_REPL_PORT_DST)};
    if (nfct_attr_is_set(c, ATTR_TIMEOUT) > 0)
        flow.timeout_s = static_cast<int>(nfct_get_attr_u32(c, ATTR_TIMEOUT));
    std::uint32_t status = nfct_get_attr_u32(c, ATTR_STATUS);
    flow.replied = status & IPS_SEEN_REPLY;
    flow.assured = status & IPS_ASSURED;
    flow.src_nat = status & IPS_SRC_NAT;
    flow.dst_nat = status & IPS_DST_NAT;
    if (proto == IPPROTO_TCP && nfct_attr_is_set(c, ATTR_TCP_STATE) > 0)
        flow.tcp_state = tcp_state_name(nfct_get_attr_u8(c, ATTR_TCP_STATE));
    if (nfct_attr_is_set(c, ATTR_ORIG_COUNTER_BYTES) > 0) {
        flow.sent = {nfct_get_attr_u64(c, ATTR_ORIG_COUNTER_PACKETS),
                     nfct_get_attr_u64(c, ATTR_ORIG_COUNTER_BYTES)};
        flow.answered = {nfct_get_attr_u64(c, ATTR_REPL_COUNTER_PACKETS),
                         nfct_get_attr_u64(c, ATTR_REPL_COUNTER_BYTES)};
    }
    return flow;
}

struct Collector {
    std::function<void(const ConntrackFlow&)> on_flow;
    bool events;
};

int on_message(const nlmsghdr* nlh, void* data) {
    auto* collector = static_cast<Collector*>(data);
    collector->on_flow(parse_flow(nlh, collector->events));
    return MNL_CB_OK;
}

}  // namespace

std::vector<ConntrackFlow> ConntrackSocket::dump(const std::string& what) {
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = put_request(buf, IPCTNL_MSG_CT_GET, NLM_F_DUMP, AF_UNSPEC, ++seq_);
    if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0)
        throw_errno(what + ": listing conntrack", errno);
    std::vector<ConntrackFlow> flows;
    Collector collector{[&flows](const ConntrackFlow& f) { flows.push_back(f); }, false};
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
        if (n < 0) throw_errno(what + ": listing conntrack", errno);
        int r = mnl_cb_run(buf.data(), n, seq_, port_id_, on_message, &collector);
        if (r < 0) throw_errno(what + ": listing conntrack", errno);
        if (r == MNL_CB_STOP) return flows;
    }
}

int ConntrackSocket::fd() const {
    return mnl_socket_get_fd(sock_.get());
}

bool ConntrackSocket::read_events(int timeout_ms,
                                  const std::function<void(const ConntrackFlow&)>& on_flow) {
    pollfd pfd{mnl_socket_get_fd(sock_.get()), POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) return true;
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
    if (n < 0) {
        if (errno == ENOBUFS) return false;
        if (errno == EINTR) return true;
        throw_errno("reading conntrack events", errno);
    }
    Collector collector{on_flow, true};
    mnl_cb_run(buf.data(), n, 0, 0, on_message, &collector);
    return true;
}

}  // namespace natlab
