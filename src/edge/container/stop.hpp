#pragma once
// Stopping containers and whatever else runs in a lab's namespaces: used by
// clean and by the rollback of a failed create.
#include <chrono>
#include <string>
#include <vector>

#include "core/lab/state_format.hpp"

namespace natlab {

inline constexpr std::chrono::milliseconds kStopGrace{10'000};

// Gracefully first: a booted container is powered off (SIGRTMIN+4 to its
// systemd), in any other every process but the stub init gets SIGTERM. What
// still runs after `grace` gets SIGKILL. Returns once none of them runs.
void stop_containers(const std::vector<ContainerRecord>& containers,
                     std::chrono::milliseconds grace = kStopGrace);

// SIGKILL for every process still inside the network namespaces (a command
// started by 'natlab exec', a container whose record a crash lost), so the
// namespaces really go away when they are deleted.
void kill_namespace_processes(const std::vector<std::string>& netns);

// What a killed systemd-nspawn cannot remove itself.
void remove_nspawn_leftovers(const std::string& machine);

}  // namespace natlab
