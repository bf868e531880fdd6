// RouteSocket's queueing disciplines: a link condition as netem and tbf
// (see core/condition/qdisc_settings for the layout both this and `plan
// --format shell` follow).
#include <linux/pkt_sched.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include <cmath>

#include "core/condition/qdisc_settings.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/kernel/route_socket_impl.hpp"

namespace natlab {
namespace {

using QdiscPtr = std::unique_ptr<rtnl_qdisc, Deleter<rtnl_qdisc, rtnl_qdisc_put>>;

constexpr std::uint32_t kRootHandle = TC_HANDLE(1, 0);
constexpr std::uint32_t kNetemClass = TC_HANDLE(1, 1);
constexpr std::uint32_t kBucketUnderNetem = TC_HANDLE(10, 0);

QdiscPtr qdisc(int ifindex, std::uint32_t parent, std::uint32_t handle, const char* kind,
               const std::string& what) {
    QdiscPtr q(rtnl_qdisc_alloc());
    if (!q) throw KernelError(what + ": out of memory");
    rtnl_tc_set_ifindex(TC_CAST(q.get()), ifindex);
    rtnl_tc_set_parent(TC_CAST(q.get()), parent);
    rtnl_tc_set_handle(TC_CAST(q.get()), handle);
    if (kind && rtnl_tc_set_kind(TC_CAST(q.get()), kind) < 0)
        throw KernelError(what + ": libnl knows no qdisc " + kind);
    return q;
}

void set_netem(rtnl_qdisc* q, const LinkCondition& c) {
    if (c.delay_us) rtnl_netem_set_delay(q, static_cast<int>(*c.delay_us));
    if (c.jitter_us) rtnl_netem_set_jitter(q, static_cast<int>(*c.jitter_us));
    // The kernel's probabilities are 32-bit unsigned; libnl stores them so.
    auto probability = [](double percent) { return static_cast<int>(netem_probability(percent)); };
    if (c.loss) rtnl_netem_set_loss(q, probability(*c.loss));
    if (c.duplicate) rtnl_netem_set_duplicate(q, probability(*c.duplicate));
    if (c.reorder) rtnl_netem_set_reorder_probability(q, probability(*c.reorder));
    if (c.corrupt) rtnl_netem_set_corruption_probability(q, probability(*c.corrupt));
    if (c.limit) rtnl_netem_set_limit(q, *c.limit);
}

void set_bucket(rtnl_qdisc* q, const TokenBucket& b) {
    rtnl_qdisc_tbf_set_limit(q, static_cast<int>(b.limit_bytes));
    rtnl_qdisc_tbf_set_rate(q, static_cast<int>(b.rate_bytes), static_cast<int>(b.burst_bytes), 0);
}

double percent_of(int probability) {
    return static_cast<std::uint32_t>(probability) / 4294967295.0 * 100.0;
}

// Four decimals, as conditions are written; the kernel's 32-bit
// probabilities and clock ticks come back a hair off.
double rounded(double percent) {
    return std::round(percent * 10000.0) / 10000.0;
}

LinkCondition netem_condition(rtnl_qdisc* q) {
    LinkCondition c;
    if (int d = rtnl_netem_get_delay(q); d > 0) c.delay_us = d;
    if (int j = rtnl_netem_get_jitter(q); j > 0) c.jitter_us = j;
    auto percent = [](int p) -> std::optional<double> {
        if (p == 0 || (p < 0 && p > -64)) return std::nullopt;  // 0, or libnl's "not set"
        return rounded(percent_of(p));
    };
    c.loss = percent(rtnl_netem_get_loss(q));
    c.duplicate = percent(rtnl_netem_get_duplicate(q));
    c.reorder = percent(rtnl_netem_get_reorder_probability(q));
    c.corrupt = percent(rtnl_netem_get_corruption_probability(q));
    if (int limit = rtnl_netem_get_limit(q); limit > 0 && limit != 1000) c.limit = limit;
    return c;
}

std::uint64_t bucket_rate_bps(rtnl_qdisc* q) {
    return static_cast<std::uint64_t>(rtnl_qdisc_tbf_get_rate(q)) * 8;
}

bool is(rtnl_qdisc* q, const char* kind) {
    const char* k = rtnl_tc_get_kind(TC_CAST(q));
    return k && std::string(k) == kind;
}

// The condition natlab's layout of qdiscs on one interface stands for.
LinkCondition condition_at(nl_cache* cache, int index) {
    QdiscPtr root(rtnl_qdisc_get_by_parent(cache, index, TC_H_ROOT));
    if (!root) return {};
    if (is(root.get(), "tbf")) {
        LinkCondition c;
        c.rate_bps = bucket_rate_bps(root.get());
        return c;
    }
    if (!is(root.get(), "netem")) return {};
    LinkCondition c = netem_condition(root.get());
    QdiscPtr child(rtnl_qdisc_get_by_parent(cache, index, kNetemClass));
    if (child && is(child.get(), "tbf")) c.rate_bps = bucket_rate_bps(child.get());
    return c;
}

}  // namespace

void RouteSocket::set_condition(const std::string& ifname, const LinkCondition& c,
                                const std::string& what) {
    int index = ifindex(ifname, what);
    nl_sock* sock = impl_->sock.get();
    // From the kernel's default queue: a netem changed in place would keep a
    // tbf under it that the new condition may not have.
    QdiscPtr old_root = qdisc(index, TC_H_ROOT, 0, nullptr, what);
    int err = rtnl_qdisc_delete(sock, old_root.get());
    bool nothing_there = err == -NLE_OBJ_NOTFOUND || err == -NLE_INVAL ||
                         impl_->ack.error == ENOENT || impl_->ack.error == EINVAL;
    if (nothing_there)
        impl_->ack = {};
    else
        impl_->check(err, what);
    if (c.empty()) return;
    auto bucket = token_bucket(c);
    if (c.needs_netem()) {
        QdiscPtr netem = qdisc(index, TC_H_ROOT, kRootHandle, "netem", what);
        set_netem(netem.get(), c);
        impl_->check(rtnl_qdisc_add(sock, netem.get(), NLM_F_CREATE | NLM_F_REPLACE), what);
        if (!bucket) return;
        QdiscPtr tbf = qdisc(index, kNetemClass, kBucketUnderNetem, "tbf", what);
        set_bucket(tbf.get(), *bucket);
        impl_->check(rtnl_qdisc_add(sock, tbf.get(), NLM_F_CREATE | NLM_F_REPLACE), what);
        return;
    }
    QdiscPtr tbf = qdisc(index, TC_H_ROOT, kRootHandle, "tbf", what);
    set_bucket(tbf.get(), *bucket);
    impl_->check(rtnl_qdisc_add(sock, tbf.get(), NLM_F_CREATE | NLM_F_REPLACE), what);
}

std::map<int, LinkCondition> RouteSocket::conditions() {
    nl_cache* raw = nullptr;
    impl_->check(rtnl_qdisc_alloc_cache(impl_->sock.get(), &raw), "reading queueing disciplines");
    CachePtr cache(raw);
    std::map<int, LinkCondition> out;
    for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        auto* q = reinterpret_cast<rtnl_qdisc*>(o);
        if (rtnl_tc_get_parent(TC_CAST(q)) != TC_H_ROOT) continue;
        int index = rtnl_tc_get_ifindex(TC_CAST(q));
        if (auto c = condition_at(cache.get(), index); !c.empty()) out[index] = c;
    }
    return out;
}

}  // namespace natlab
