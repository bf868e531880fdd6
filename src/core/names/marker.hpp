#pragma once
// The ownership marker natlab puts on loopback's ifalias in every namespace
// it makes, so clean-up can recognise the lab's namespaces without its state.
#include <optional>
#include <string>

namespace natlab {

struct LabMarker {
    std::string lab, node;
};

std::string lab_marker(std::string_view lab, std::string_view node);
// nullopt unless the alias is a marker with names natlab accepts.
std::optional<LabMarker> parse_marker(const std::string& alias);

// True when the marker is the one natlab puts on namespace `netns` of lab `lab`.
bool marks(const LabMarker& marker, const std::string& lab, const std::string& netns);

}  // namespace natlab
