#include "core/plan/step_order.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace natlab {

namespace {

struct Touched {
    std::vector<std::string> operator()(const CreateVeth& s) const {
        if (s.netns_a == s.netns_b) return {s.netns_a};
        return {s.netns_a, s.netns_b};
    }
    template <class OneNamespace>
    std::vector<std::string> operator()(const OneNamespace& s) const {
        return {s.netns};
    }
};

// The namespaces a step waits for without changing anything there: a DHCP
// client's server, the router whose advertisements a SLAAC host awaits.
struct WaitsFor {
    template <class AnyStep>
    std::vector<std::string> operator()(const AnyStep& s) const {
        if constexpr (requires { s.after; })
            return s.after;
        else
            return {};
    }
};

}  // namespace

std::vector<std::string> namespaces_touched(const Step& step) {
    return std::visit(Touched{}, step);
}

std::vector<std::vector<std::size_t>> step_prerequisites(std::span<const Step> steps) {
    std::vector<std::vector<std::size_t>> prerequisites(steps.size());
    std::map<std::string, std::size_t> latest;  // namespace -> index of its latest step so far
    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto& mine = prerequisites[i];
        for (const auto& netns : namespaces_touched(steps[i])) {
            auto [it, first] = latest.try_emplace(netns, i);
            if (!first) mine.push_back(std::exchange(it->second, i));
        }
        // A step waits for what its `after` namespaces hold so far, and
        // changes nothing there: the clients of one server start side by side.
        for (const auto& netns : std::visit(WaitsFor{}, steps[i]))
            if (auto it = latest.find(netns); it != latest.end()) mine.push_back(it->second);
        std::sort(mine.begin(), mine.end());
        mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    }
    return prerequisites;
}

std::vector<std::size_t> chain_lengths(const std::vector<std::vector<std::size_t>>& prerequisites) {
    std::vector<std::size_t> length(prerequisites.size(), 1);
    // Prerequisites are earlier steps, so walking backwards finishes every
    // step's length before it is passed on.
    for (std::size_t i = prerequisites.size(); i-- > 0;)
        for (std::size_t before : prerequisites[i])
            length[before] = std::max(length[before], length[i] + 1);
    return length;
}

}  // namespace natlab
