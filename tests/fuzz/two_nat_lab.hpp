#pragma once
// The lab the harnesses of live changes check against: labs/two-nat.yaml,
// held here so that a harness reads no file.
#include "core/lifecycle/loaded_lab.hpp"

namespace natlab::fuzz {

inline const LoadedLab& two_nat_lab() {
    static const LoadedLab lab = load_lab_text(R"(name: two-nat
nodes:
  c0: {kind: host, routes: {default: nat0}}
  c1: {kind: host, routes: {default: nat1}}
  nat0: {kind: nat, outside: wan, routes: {default: internet}}
  nat1: {kind: nat, outside: wan, routes: {default: internet}}
  internet: {kind: router}
links:
  - {endpoints: [nat0:lan, c0:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [nat1:lan, c1:eth0], subnet: 10.0.2.0/24}
  - {endpoints: [internet:to-nat0, nat0:wan 100.64.1.100], subnet: 100.64.1.0/24}
  - {endpoints: [internet:to-nat1, nat1:wan 100.64.2.100], subnet: 100.64.2.0/24}
)",
                                               "two-nat.yaml");
    return lab;
}

}  // namespace natlab::fuzz
