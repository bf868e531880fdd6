#include "core/condition/condition.hpp"

#include <cmath>

namespace natlab {

LinkCondition LinkCondition::over(const LinkCondition& base) const {
    LinkCondition c = base;
    auto take = [](auto& into, const auto& mine) {
        if (mine) into = mine;
    };
    take(c.delay_us, delay_us);
    take(c.jitter_us, jitter_us);
    take(c.loss, loss);
    take(c.reorder, reorder);
    take(c.duplicate, duplicate);
    take(c.corrupt, corrupt);
    take(c.rate_bps, rate_bps);
    take(c.limit, limit);
    return c;
}

LinkCondition LinkCondition::without(const std::string& key) const {
    LinkCondition c = *this;
    if (key == "delay") c.delay_us.reset();
    if (key == "jitter") c.jitter_us.reset();
    if (key == "loss") c.loss.reset();
    if (key == "reorder") c.reorder.reset();
    if (key == "duplicate") c.duplicate.reset();
    if (key == "corrupt") c.corrupt.reset();
    if (key == "rate") c.rate_bps.reset();
    if (key == "limit") c.limit.reset();
    return c;
}

namespace {

template <class T>
bool near(const std::optional<T>& a, const std::optional<T>& b, double tolerance) {
    if (!a || !b) return a.has_value() == b.has_value();
    return std::fabs(static_cast<double>(*a) - static_cast<double>(*b)) <= tolerance;
}

}  // namespace

bool holds(const LinkCondition& kernel, const LinkCondition& wanted) {
    auto rate_tolerance = static_cast<double>(wanted.rate_bps.value_or(0)) * 0.005;
    bool queue =
        !wanted.needs_netem() || kernel.limit.value_or(1000) == wanted.limit.value_or(1000);
    return near(kernel.delay_us, wanted.delay_us, 2) &&
           near(kernel.jitter_us, wanted.jitter_us, 2) && near(kernel.loss, wanted.loss, 0.001) &&
           near(kernel.reorder, wanted.reorder, 0.001) &&
           near(kernel.duplicate, wanted.duplicate, 0.001) &&
           near(kernel.corrupt, wanted.corrupt, 0.001) &&
           near(kernel.rate_bps, wanted.rate_bps, rate_tolerance + 8) && queue;
}

}  // namespace natlab
