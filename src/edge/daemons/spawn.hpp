#pragma once
// Starting a daemon detached inside a namespace, and what it leaves behind
// to judge it by: its log and its sockets.
#include <sys/types.h>

#include <string>
#include <vector>

namespace natlab {

// Starts argv detached (a grandchild, so natlab never reaps it; it outlives
// the create that starts it, and clean kills every process of the lab's
// namespaces) inside the namespace, output appended to `log`; returns its
// pid. Throws when argv[0] cannot be run.
pid_t spawn_in_netns(const std::vector<std::string>& argv, int netns_fd, const std::string& log);

// The last lines of a log, each on a new line indented, for a message.
std::string log_tail(const std::string& log, std::size_t lines = 6);

// How many sockets of `pid`'s network namespace are bound to `port`
// ("udp", "udp6", "tcp" or "tcp6": a table of /proc/PID/net/).
std::size_t sockets_on(pid_t pid, const std::string& table, int port);

}  // namespace natlab
