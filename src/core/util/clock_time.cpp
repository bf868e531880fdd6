#include "core/util/clock_time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace natlab {

std::string clock_time_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm local{};
    localtime_r(&t, &local);
    char hms[16], out[24];
    std::strftime(hms, sizeof hms, "%H:%M:%S", &local);
    std::snprintf(out, sizeof out, "%s.%03d", hms, static_cast<int>(ms.count()));
    return out;
}

}  // namespace natlab
