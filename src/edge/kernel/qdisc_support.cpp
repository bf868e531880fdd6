#include "edge/kernel/qdisc_support.hpp"

#include "edge/kernel/netlink.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"

namespace natlab {

std::string qdisc_refusal(const std::string& kind) {
    LinkCondition sample;
    if (kind == "netem")
        sample.delay_us = 1000;
    else
        sample.rate_bps = 1000000;  // tbf
    std::string refusal;
    in_scratch_netns([&] {
        try {
            RouteSocket().set_condition("lo", sample, "trying " + kind);
        } catch (const KernelError& e) {
            refusal = e.what();
            // "trying netem: No such file or directory (Specified qdisc kind is unknown.)"
            if (auto colon = refusal.find(": "); colon != std::string::npos)
                refusal.erase(0, colon + 2);
            if (auto open = refusal.find(" (");
                open != std::string::npos && refusal.back() == ')') {
                refusal.replace(open, 2, ": ");
                refusal.pop_back();
            }
        }
    });
    return refusal;
}

}  // namespace natlab
