#pragma once
// The conntrack table of the namespace a socket was opened in, over ctnetlink
// (libmnl; libnetfilter_conntrack parses entries).
#include <memory>
#include <string>

struct mnl_socket;

namespace natlab {

class ConntrackSocket {
  public:
    // Open it inside a NetnsGuard: the socket belongs to that namespace.
    ConntrackSocket();
    ~ConntrackSocket();
    ConntrackSocket(const ConntrackSocket&) = delete;
    ConntrackSocket& operator=(const ConntrackSocket&) = delete;

    // Deletes every IPv4 entry: flows made under old rules keep their old
    // translation until they are gone.
    void flush_ipv4(const std::string& what);

  private:
    struct Close {
        void operator()(mnl_socket* s) const;
    };
    std::unique_ptr<mnl_socket, Close> sock_;
    unsigned port_id_ = 0;
    unsigned seq_ = 0;
};

}  // namespace natlab
