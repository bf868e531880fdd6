#pragma once
// Processes as /proc shows them: identity that survives pid reuse, and the
// processes inside a namespace.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "core/lifecycle/state_format.hpp"

namespace natlab {

// The record of a live process, or nullopt when it is gone (or a zombie).
std::optional<ProcessRecord> process_record(pid_t pid);
// True while the very process recorded runs (not a zombie, not a reused pid).
bool is_running(const ProcessRecord& process);

// The process's command line, one string per argument; empty when it is gone.
std::vector<std::string> process_cmdline(pid_t pid);
// The file name of the program it was started as ("stund" for
// /usr/bin/stund -h ...); "" when it is gone.
std::string process_program(pid_t pid);
// True when the process's namespace of `kind` ("net", ...) is the one at `ns_path`.
bool in_namespace(pid_t pid, const std::string& kind, const std::string& ns_path);

// Every process whose namespace of `kind` ("net", "pid", ...) is one of the
// files at `ns_paths` (/run/netns/NAME or /proc/PID/ns/pid). One pass over /proc.
std::vector<pid_t> processes_in_namespaces(const std::string& kind,
                                           const std::vector<std::string>& ns_paths);

}  // namespace natlab
