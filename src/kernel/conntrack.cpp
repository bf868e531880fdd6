#include "kernel/conntrack.hpp"

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <sys/socket.h>

#include <cerrno>
#include <vector>

#include "kernel/error.hpp"

namespace natlab {

void ConntrackSocket::Close::operator()(mnl_socket* s) const {
    mnl_socket_close(s);
}

ConntrackSocket::ConntrackSocket() : sock_(mnl_socket_open(NETLINK_NETFILTER)) {
    if (!sock_) throw_errno("opening a conntrack netlink socket", errno);
    if (mnl_socket_bind(sock_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
        throw_errno("binding a conntrack netlink socket", errno);
    port_id_ = mnl_socket_get_portid(sock_.get());
}

ConntrackSocket::~ConntrackSocket() = default;

void ConntrackSocket::flush_ipv4(const std::string& what) {
    std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
    nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = ++seq_;
    // A delete with no tuple attributes deletes the whole table of that family.
    auto* nfh = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
    nfh->nfgen_family = AF_INET;
    nfh->version = NFNETLINK_V0;
    nfh->res_id = 0;
    if (mnl_socket_sendto(sock_.get(), nlh, nlh->nlmsg_len) < 0)
        throw_errno(what + ": flushing conntrack", errno);
    ssize_t n = mnl_socket_recvfrom(sock_.get(), buf.data(), buf.size());
    if (n < 0) throw_errno(what + ": flushing conntrack", errno);
    if (mnl_cb_run(buf.data(), n, seq_, port_id_, nullptr, nullptr) < 0)
        throw_errno(what + ": flushing conntrack", errno);
}

}  // namespace natlab
