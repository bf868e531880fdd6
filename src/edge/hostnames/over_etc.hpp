#pragma once
// A node's files laid over /etc, as 'ip netns exec' lays /etc/netns/NAME/
// over it: each file of the lab's directory (where /etc/netns/NAME points)
// bound onto /etc/<file>. Call in a mount namespace of the caller's own that
// passes no mount back (a slave).
#include <string>

namespace natlab {

// Binds what there is; a file that cannot be bound is told on stderr, and
// the command runs with the host's.
void lay_node_files_over_etc(const std::string& lab, const std::string& node);

}  // namespace natlab
