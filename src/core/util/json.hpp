#pragma once
// JSON for the project's own value types, and null for what is absent: the
// shapes every --json output shares.
#include <nlohmann/json.hpp>
#include <optional>

#include "core/util/ip.hpp"

namespace natlab {

inline void to_json(nlohmann::json& j, const IpAddress& a) {
    j = a.str();
}
inline void to_json(nlohmann::json& j, const Endpoint& e) {
    j = e.str();
}

// The value, or null when there is none.
template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace natlab
