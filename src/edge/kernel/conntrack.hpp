#pragma once
// The conntrack table of the namespace a socket was opened in, over ctnetlink
// (libmnl; libnetfilter_conntrack parses entries).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/conntrack/flow.hpp"

struct mnl_socket;

namespace natlab {

class ConntrackSocket {
  public:
    // Open it inside a NetnsGuard: the socket belongs to that namespace.
    // With `events`, it receives every NEW, UPDATE and DESTROY event there.
    explicit ConntrackSocket(bool events = false);
    ~ConntrackSocket();
    ConntrackSocket(const ConntrackSocket&) = delete;
    ConntrackSocket& operator=(const ConntrackSocket&) = delete;

    // Deletes every entry of the family: flows made under old rules keep
    // their old translation until they are gone.
    void flush(Family family, const std::string& what);

    // Deletes the IPv4 UDP or TCP entry whose original tuple is `flow`'s; one
    // already gone is no error.
    void remove(const ConntrackFlow& flow, const std::string& what);

    // Every entry of the table, IPv4 and IPv6.
    std::vector<ConntrackFlow> dump(const std::string& what);

    // Waits up to timeout_ms for events and hands each to on_flow. Returns
    // false when the kernel dropped events because they came faster than
    // they were read (the socket's buffer overflowed).
    bool read_events(int timeout_ms, const std::function<void(const ConntrackFlow&)>& on_flow);

    // For poll(): one thread waits on the sockets of many namespaces.
    int fd() const;

  private:
    struct Close {
        void operator()(mnl_socket* s) const;
    };
    std::unique_ptr<mnl_socket, Close> sock_;
    unsigned port_id_ = 0;
    unsigned seq_ = 0;
};

}  // namespace natlab
