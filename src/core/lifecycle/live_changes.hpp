#pragma once
// A live lab as it is meant to be now: its topology with the changes made
// since create (natlab set, natlab link) laid over it, in the order made,
// so that status judges the kernel against them. Pure.
#include <string>
#include <vector>

#include "core/dhcp/dhcp_settings.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/nat/nat_settings.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// The link changes (conditions, up or down) over a checked lab.
void apply_live_changes(Lab& lab, const std::vector<LiveChange>& changes);

// The lab from its topology copy `text` (made from `source`) with every
// change: NAT keys over the nodes' keys before the lab is checked and
// planned (a NAT's rules follow from all its keys together), link changes
// after. Throws InvalidInput as loading a file does.
LoadedLab load_changed_lab(const std::string& text, const std::string& source,
                           const std::string& lab, const std::vector<LiveChange>& changes);

// The NAT keys of node `nat` with `settings` laid over the file's and the
// journal's, checked on their own: messages for `natlab set`, each saying
// what is wrong with the value given. Empty when the lab takes them.
std::vector<std::string> nat_settings_problems(const std::string& text, const std::string& source,
                                               const std::string& lab,
                                               const std::vector<LiveChange>& changes,
                                               const std::string& nat, const NatSettings& settings);

// The DHCP keys of router or NAT `node` with `settings` laid over the
// file's and the journal's, checked with the whole lab: messages for
// `natlab set`. Empty when the lab takes them.
std::vector<std::string> dhcp_settings_problems(const std::string& text, const std::string& source,
                                                const std::string& lab,
                                                const std::vector<LiveChange>& changes,
                                                const std::string& node,
                                                const DhcpSettings& settings);

// The command that makes the pending change, as a user would type it:
// "natlab set LAB nat0 type=symmetric --bindings drop", "natlab link LAB
// c0:eth0 down", "natlab set LAB c0:eth0 --clear delay=40ms".
std::string change_command(const std::string& lab, const PendingChange& pending);

}  // namespace natlab
