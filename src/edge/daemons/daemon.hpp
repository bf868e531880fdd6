#pragma once
// Starting and stopping a lab's network services (core/daemon/daemon_spec).
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/daemon/daemon_spec.hpp"

namespace natlab {

// Writes the daemon's files, starts it in the namespace and returns its pid
// once it is ready. Throws naming the missing program and its package, or,
// when it stopped or did not get ready in 10 s, the end of its log; what it
// started is then killed again.
pid_t start_daemon(const DaemonSpec& daemon, int netns_fd, const std::string& what);

// Ends every process of these programs running in namespace `netns` (asked
// first, killed after 2 s).
void stop_daemons(const std::string& netns, const std::vector<std::string>& programs);

// "" when argv[0] is installed, else "PROGRAM (Debian package PACKAGE)".
std::string missing_daemon_program(const DaemonSpec& daemon);

}  // namespace natlab
