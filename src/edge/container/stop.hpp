#pragma once
// Stopping containers and whatever else runs in a lab's namespaces: used by
// clean and by the rollback of a failed create.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/lifecycle/state_format.hpp"

namespace natlab {

inline constexpr std::chrono::milliseconds kStopGrace{10'000};

// Gracefully first: a booted container is powered off (SIGRTMIN+4 to its
// systemd), in any other every process but the stub init gets SIGTERM. What
// still runs after `grace` gets SIGKILL. Returns once none of them runs.
void stop_containers(const std::vector<ContainerRecord>& containers,
                     std::chrono::milliseconds grace = kStopGrace);

// The record as far as its processes really are the container's: its
// systemd-nspawn runs with --machine=<machine> on its command line, its
// leader lives in the lab's namespace `netns`. nullopt (and the reason in
// `why`) when the nspawn process is another program's now, or was never
// natlab's; a leader that is not the container's is dropped from the record.
std::optional<ContainerRecord> verified_container(const ContainerRecord& record,
                                                  const std::string& netns, std::string& why);

// SIGKILL for every process still inside the network namespaces (a command
// started by 'natlab exec', a container whose record a crash lost), so the
// namespaces really go away when they are deleted.
void kill_namespace_processes(const std::vector<std::string>& netns);

// What a killed systemd-nspawn cannot remove itself.
void remove_nspawn_leftovers(const std::string& machine);

}  // namespace natlab
