#pragma once
// nat0 of the one-NAT lab (test::lab_with_nat) with the keys a test writes.
#include "core/lifecycle/live_changes.hpp"
#include "test_util.hpp"

namespace natlab::test {

inline LabNode nat_of(const std::string& nat_keys) {
    return *load_changed_lab(lab_with_nat(nat_keys), "t.yaml", "t", {}).lab.find_node("nat0");
}

inline IpAddress ip(const char* text) {
    return *IpAddress::parse(text);
}

}  // namespace natlab::test
