#pragma once
// The systemd-nspawn command line for a container step: pure, so the shell
// rendering and the runtime run exactly the same command.
#include <string>
#include <vector>

#include "core/plan/step.hpp"

namespace natlab {

// For root 'host': a tmpfs at `mount_point` holding the overlay's writable
// layers, and the merged tree (the host's / underneath) at `merged`.
struct OverlayLayout {
    std::string mount_point, upper, work, merged;
};
OverlayLayout overlay_layout(const StartContainer& step);

// argv, starting with "systemd-nspawn". `register_machine`: register with
// systemd-machined (only possible where systemd is PID 1). `lab_names`: bind
// the node's hosts and resolv.conf (core/hostnames) over the container's,
// which create writes before it starts containers.
std::vector<std::string> nspawn_arguments(const StartContainer& step, bool register_machine,
                                          bool lab_names);

// Environment variables nspawn itself needs beyond the caller's.
std::vector<std::string> nspawn_environment(const StartContainer& step,
                                            const std::string& notify_socket);

}  // namespace natlab
