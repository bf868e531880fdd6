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

// Writes the configuration and starts both daemons as start_port_mapping
// does, its table already loaded: after stop_port_mapping, for a service
// that changed (the NAT's external address). miniupnpd puts the mappings of
// its lease file back.
std::vector<pid_t> run_port_mapping(const PortMappingService& service, int netns_fd,
                                    const std::string& what);

// Ends the port-mapping daemons running in `netns` (asked first, killed
// after 2 s). The mappings stay in their table and in miniupnpd's lease file.
void stop_port_mapping(const std::string& netns);

// The programs it needs, with the Debian package of each that is missing:
// "" when all are installed.
std::string missing_port_mapping_programs();

}  // namespace natlab
