#pragma once
// 'natlab status' of one lab: its state and topology copy read from disk,
// every node's namespace and container looked at, and the comparison
// (core/status) of what is there with what should be.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace natlab {

// Throws when there is no such lab. See compare_lab for the shape.
nlohmann::json lab_status(const std::string& lab);

// The labs status looks at when none is named: every lab with state.
std::vector<std::string> labs_to_show();

}  // namespace natlab
