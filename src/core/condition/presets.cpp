#include "core/condition/presets.hpp"

namespace natlab {
namespace {

constexpr std::int64_t ms(std::int64_t n) {
    return n * 1000;
}
constexpr std::uint64_t kbit(std::uint64_t n) {
    return n * 1000;
}
constexpr std::uint64_t mbit(std::uint64_t n) {
    return n * 1000000;
}

LinkCondition condition(std::int64_t delay_us, std::optional<std::int64_t> jitter_us,
                        std::optional<double> loss, std::optional<std::uint64_t> rate_bps) {
    LinkCondition c;
    c.delay_us = delay_us;
    c.jitter_us = jitter_us;
    c.loss = loss;
    c.rate_bps = rate_bps;
    return c;
}

}  // namespace

const std::vector<LinkPreset>& link_presets() {
    static const std::vector<LinkPreset> presets = {
        {"wifi", condition(ms(3), ms(2), 0.2, mbit(50)), condition(ms(3), ms(2), 0.2, mbit(50)),
         "natlab's choice: a busy home 802.11n/ac network"},
        {"4g", condition(ms(45), ms(15), 0.2, mbit(50)), condition(ms(45), ms(5), 0.2, mbit(100)),
         "Loadero's 4G network condition (wiki.loadero.com, network conditions)"},
        {"3g", condition(ms(250), ms(50), 0.5, kbit(1200)),
         condition(ms(250), ms(50), 0.5, kbit(1200)),
         "Loadero's 3G network condition (wiki.loadero.com, network conditions)"},
        {"satellite", condition(ms(300), std::nullopt, 0.1, mbit(3)),
         condition(ms(300), std::nullopt, 0.1, mbit(25)),
         "a geostationary hop: 2 x 35,786 km at the speed of light is at least 239 ms each way, "
         "about 300 ms with slant range and processing; rates of a consumer plan"},
        {"dsl", condition(ms(10), std::nullopt, std::nullopt, mbit(1)),
         condition(ms(10), std::nullopt, std::nullopt, mbit(10)),
         "ADSL2's mean rates of 10 Mbit/s down and 1 Mbit/s up (Jamulus wiki, network "
         "requirements); 10 ms natlab's choice"},
        {"lossy", condition(ms(20), ms(10), 5, std::nullopt),
         condition(ms(20), ms(10), 5, std::nullopt),
         "Loadero's '5% packetloss' condition, with natlab's 20 ms +-10 ms"},
    };
    return presets;
}

const LinkPreset* find_link_preset(const std::string& name) {
    for (const auto& p : link_presets())
        if (p.name == name) return &p;
    return nullptr;
}

std::vector<std::string> link_preset_names() {
    std::vector<std::string> names;
    for (const auto& p : link_presets()) names.push_back(p.name);
    return names;
}

}  // namespace natlab
