#pragma once
// natlab matrix, the pure part: the lab it builds (two hosts behind a NAT of
// each type compared, all NATs on one router), which hosts it punches
// between, and the table of results against theory.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/punch/matrix_types.hpp"
#include "core/punch/punch_report.hpp"
#include "core/topology/model.hpp"

namespace natlab {

// Host `copy` (1 or 2) behind a NAT of this type; pairs punch from copy 1 to copy 2.
std::string matrix_host(const MatrixType& type, int copy);

// The lab as data: a router 'internet', and per type and copy a NAT on
// 100.64.N.0/24 with a host behind it on 10.0.N.0/24. Over IPv6 also
// 2001:db8:ff:N::/64 outside and 2001:db8:1:N::/64 inside (fd00:N::/64 behind
// a translator), each NAT with its type's IPv6 side (NAT66 of its classes
// where the type names no side and no preset). Throws InvalidInput for an
// IPv6 side's type over IPv4.
Topology matrix_topology(const std::vector<MatrixType>& types, Family family = Family::ipv4);

struct MatrixCell {
    MatrixType a, b;
    PunchRun run;
};

bool agrees_with_theory(const std::vector<MatrixCell>& cells);
// The table (rows A, columns B, `types` in order), whether it agrees, why each
// failing pair fails, and what theory leaves open (races) or cannot use
// (predictable ports).
std::string render_matrix(const std::string& lab, const std::vector<MatrixType>& types,
                          const std::vector<MatrixCell>& cells);
nlohmann::json matrix_json(const std::string& lab, const std::vector<MatrixCell>& cells);

}  // namespace natlab
