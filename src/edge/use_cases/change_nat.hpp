#pragma once
// Changing a live lab's NAT nodes: their keys (natlab set LAB NAT), their
// mappings (natlab rebind) and all their state at once (natlab flush).
// A change of the lab's declared state is journalled as begun before the
// kernel is touched and as made after, so that status and later commands
// know it, and one a killed natlab leaves unfinished is finished by the next
// (see LockedLab).
#include <string>
#include <vector>

#include "core/conntrack/rebind.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/nat/behaviour.hpp"
#include "core/nat/nat_node.hpp"
#include "core/nat/nat_settings.hpp"
#include "core/topology/lab.hpp"
#include "core/util/ip.hpp"

namespace natlab {

// What happens to the mappings the NAT holds when its rules change.
enum class Bindings { keep, drop };
constexpr NameTable<Bindings, 2> name_table(Bindings) {
    return {{{Bindings::keep, "keep"}, {Bindings::drop, "drop"}}};
}

struct NatNow {
    NatBehaviour behaviour;
    std::vector<NatOutside> outsides;  // each with its external address
    bool bindings_dropped = false;
    bool service_restarted = false;  // its port-mapping service, for a new address
};

// `settings` over NAT node `nat`'s keys; the new rules replace the old in
// one transaction. `keep`: live flows keep their ports and the bindings the
// two rule sets learn alike stay; `drop`: every flow and binding is
// forgotten. A new external address (address=A) always drops them: they
// name the old one, and the NAT's port-mapping service, if it has one, is
// started again to hand out the new address (its mappings are kept). Throws
// InvalidInput for a node that is not a NAT, or
// settings the lab does not take, before anything changes.
NatNow set_nat(const std::string& lab, const std::string& nat, const NatSettings& settings,
               Bindings bindings);

// Finishes `pending`, NAT keys an earlier natlab began to set and did not
// finish (killed midway), from whatever the kernel holds: `before` and
// `after` are the lab without and with it. The outside address, rules,
// timeouts, bindings and port-mapping service end as set_nat leaves them:
// rules that are neither the old nor the new ones are replaced whole, and
// every binding is then forgotten. Journals it as made.
void finish_nat_change(const std::string& lab, const Lab& before, const Lab& after,
                       const PendingChange& pending);

// The NAT reboots: every conntrack flow and learnt binding is gone at once.
// Returns how many flows it forgot.
std::size_t flush_nat(const std::string& lab, const std::string& nat);

struct Rebound {
    Rebinding mapping;  // as it was
    std::size_t flows = 0;
};
// The live mappings of inside endpoints matching `inside` (HOST[:PORT], see
// parse_inside_filter; "" = every one) move: each flow's next packet leaves
// from a new external port (the old one is held a while).
std::vector<Rebound> rebind_nat(const std::string& lab, const std::string& nat,
                                const std::string& inside);

}  // namespace natlab
