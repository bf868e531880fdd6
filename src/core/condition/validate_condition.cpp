#include "core/condition/validate_condition.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/condition/presets.hpp"
#include "core/condition/units.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

constexpr std::int64_t kMaxDelayUs =
    60'000'000;                            // netem's clock counts further; no link needs more
constexpr std::uint64_t kMinRate = 8'000;  // one full-size packet every 1.5 s
constexpr std::uint64_t kMaxRate = 10'000'000'000ULL;  // tbf's 32-bit byte rate ends near 34 gbit
constexpr int kMaxLimit = 1'000'000;

// Where the first of the keys was written, if any was.
std::optional<SourcePos> first_written(const ConditionSpec& spec) {
    std::optional<SourcePos> first;
    for (const auto& [key, field] : condition_fields())
        if (const auto& v = spec.*field; v && (!first || v->pos < *first)) first = v->pos;
    return first;
}

class ConditionChecker {
  public:
    explicit ConditionChecker(Diagnostics& diag) : diag_(diag) {}

    LinkCondition values(const ConditionSpec& spec) {
        LinkCondition c;
        if (spec.delay) c.delay_us = duration(*spec.delay, "delay");
        if (spec.jitter) c.jitter_us = duration(*spec.jitter, "jitter");
        if (spec.loss) c.loss = percent(*spec.loss, "loss", "one packet in a hundred is dropped");
        if (spec.reorder)
            c.reorder =
                percent(*spec.reorder, "reorder", "one packet in a hundred skips the delay");
        if (spec.duplicate)
            c.duplicate =
                percent(*spec.duplicate, "duplicate", "one packet in a hundred is sent twice");
        if (spec.corrupt)
            c.corrupt =
                percent(*spec.corrupt, "corrupt", "one packet in a hundred gets a flipped bit");
        if (spec.rate) c.rate_bps = rate(*spec.rate);
        if (spec.limit) c.limit = limit(*spec.limit);
        return c;
    }

    // Keys that only make sense together, checked on what one direction ends up with.
    void combination(const LinkCondition& c, const SourcePos& pos, const std::string& direction) {
        if (c.jitter_us && !c.delay_us.value_or(0))
            diag_.error(pos,
                        "jitter without a delay" + direction +
                            ": jitter spreads the delay around its value; add e.g. 'delay: 20ms'");
        if (c.reorder && !c.delay_us.value_or(0))
            diag_.error(pos, "reorder without a delay" + direction +
                                 ": reordered packets are those sent at once while the rest wait; "
                                 "add e.g. 'delay: 20ms'");
        if (c.limit && !c.needs_netem() && !c.rate_bps)
            diag_.error(pos, "limit alone" + direction +
                                 ": it is the length of the queue that a delay or a rate fills; "
                                 "add one of them or remove 'limit'");
    }

  private:
    Diagnostics& diag_;

    std::optional<std::int64_t> duration(const Marked<std::string>& v, const char* key) {
        auto us = parse_duration_us(v.value);
        if (!us) {
            diag_.error(v.pos, std::string(key) + " " + quote(v.value) +
                                   " is not a duration; write a number and its unit, e.g. '40ms' "
                                   "(us, ms or s)");
        } else if (*us > kMaxDelayUs) {
            diag_.error(v.pos, std::string(key) + " " + quote(v.value) +
                                   " is longer than natlab allows; use at most 60s");
        } else {
            return us;
        }
        return std::nullopt;
    }

    std::optional<double> percent(const Marked<std::string>& v, const char* key,
                                  const char* one_percent) {
        auto p = parse_percent(v.value);
        if (!p) {
            diag_.error(v.pos, std::string(key) + " " + quote(v.value) +
                                   " is not a percentage; write e.g. '1%' (" + one_percent + ")");
        } else if (*p > 100) {
            diag_.error(v.pos, std::string(key) + " " + quote(v.value) +
                                   " is more than every packet; use 0% to 100%");
        } else {
            return p;
        }
        return std::nullopt;
    }

    std::optional<std::uint64_t> rate(const Marked<std::string>& v) {
        auto bps = parse_rate_bps(v.value);
        std::string lower;
        for (char c : v.value)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!bps && lower.ends_with("bps")) {
            diag_.error(v.pos,
                        "rate " + quote(v.value) +
                            " is ambiguous: tc reads 'bps' as bytes per second, others as "
                            "bits; write it in bits, e.g. '20mbit' (bit, kbit, mbit or gbit)");
        } else if (!bps) {
            diag_.error(v.pos,
                        "rate " + quote(v.value) +
                            " is not a rate; write bits per second, e.g. '20mbit' (bit, kbit, "
                            "mbit or gbit)");
        } else if (*bps < kMinRate || *bps > kMaxRate) {
            diag_.error(v.pos, "rate " + quote(v.value) + " is out of range; use 8kbit to 10gbit");
        } else {
            return bps;
        }
        return std::nullopt;
    }

    std::optional<int> limit(const Marked<std::string>& v) {
        int n = 0;
        bool digits =
            !v.value.empty() && v.value.find_first_not_of("0123456789") == std::string::npos;
        if (digits && v.value.size() <= 7) n = std::stoi(v.value);
        if (!digits) {
            diag_.error(v.pos, "limit " + quote(v.value) +
                                   " is not a number of packets; write e.g. 'limit: 1000'");
        } else if (n < 1 || n > kMaxLimit) {
            diag_.error(v.pos, "limit " + v.value + " is out of range; use 1 to 1000000 packets");
        } else {
            return n;
        }
        return std::nullopt;
    }
};

}  // namespace

DirectedConditions check_link_condition(const LinkConditionSpec& spec, const std::string& a,
                                        const std::string& b, Diagnostics& diag) {
    DirectedConditions out;
    SourcePos where;  // where a wrong combination is reported: the first key written
    if (spec.preset) {
        where = spec.preset->pos;
        if (const LinkPreset* preset = find_link_preset(spec.preset->value)) {
            out.a_sends = preset->up;
            out.b_sends = preset->down;
        } else {
            diag.error(spec.preset->pos, "unknown preset " + quote(spec.preset->value) +
                                             "; use one of " + join(link_preset_names(), ", ") +
                                             did_you_mean(spec.preset->value, link_preset_names()));
        }
    }
    ConditionChecker check(diag);
    LinkCondition both = check.values(spec.both);
    out.a_sends = both.over(out.a_sends);
    out.b_sends = both.over(out.b_sends);
    if (auto first = first_written(spec.both)) where = *first;  // else the preset's
    std::set<std::string> seen;
    SourcePos a_pos = where, b_pos = where;
    for (const auto& d : spec.from) {
        const std::string& end = d.endpoint.value;
        if (end != a && end != b) {
            diag.error(d.endpoint.pos, "'from: " + end + "' is not an end of this link; use " +
                                           quote(a) + " or " + quote(b));
            continue;
        }
        if (!seen.insert(end).second) {
            diag.error(d.endpoint.pos, "'from: " + end + "' is given twice; merge the two");
            continue;
        }
        LinkCondition own = check.values(d.condition);
        (end == a ? out.a_sends : out.b_sends) = own.over(end == a ? out.a_sends : out.b_sends);
        (end == a ? a_pos : b_pos) = d.endpoint.pos;
    }
    if (spec.from.empty()) {
        check.combination(out.a_sends, where, "");
        if (out.b_sends != out.a_sends)
            check.combination(out.b_sends, where, " in what " + b + " sends");
    } else {
        check.combination(out.a_sends, a_pos, " in what " + a + " sends");
        check.combination(out.b_sends, b_pos, " in what " + b + " sends");
    }
    return out;
}

LinkCondition apply_condition_settings(const LinkCondition& base, const ConditionSettings& settings,
                                       std::vector<std::string>& problems) {
    Diagnostics diag("");
    ConditionSpec spec;
    LinkCondition kept = base;
    const auto& fields = condition_fields();
    std::vector<std::string> keys;
    for (const auto& [key, field] : fields) keys.push_back(key);
    for (const auto& [key, value] : settings) {
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&key = key](const auto& f) { return f.first == key; });
        if (it == fields.end()) {
            problems.push_back("unknown setting " + quote(key) + "; use " + join(keys, ", ") +
                               did_you_mean(key, keys));
            continue;
        }
        if (value == "none") {
            kept = kept.without(key);
            continue;
        }
        spec.*(it->second) = Marked<std::string>{value, {}};
    }
    ConditionChecker check(diag);
    LinkCondition result = check.values(spec).over(kept);
    check.combination(result, {}, "");
    for (auto& m : diag.messages()) problems.push_back(std::move(m));
    return result;
}

ConditionSettings settings_of_words(const std::string& words) {
    ConditionSettings out;
    std::istringstream in(words);
    std::string key, value;
    while (in >> key >> value) out.emplace_back(key, value);
    return out;
}

}  // namespace natlab
