#pragma once
// A NAT's port-mapping service as processes: stund and miniupnpd started
// inside the NAT's namespace, detached from natlab (they outlive the create
// that starts them; clean kills every process in the lab's namespaces).
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/portmap/port_mapping_service.hpp"

namespace natlab {

// Writes the configuration, loads the table, starts both daemons and returns
// their pids once miniupnpd listens. Throws naming what is missing or, when
// miniupnpd stopped or refused, the end of its log; what it started is then
// killed again.
std::vector<pid_t> start_port_mapping(const PortMappingService& service, int netns_fd,
                                      const std::string& netns, const std::string& what);

// The programs it needs, with the Debian package of each that is missing:
// "" when all are installed.
std::string missing_port_mapping_programs();

}  // namespace natlab
