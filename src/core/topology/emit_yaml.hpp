#pragma once
// A Topology written back as a topology file: what a lab built from data
// (natlab matrix) keeps as its topology copy, so that every command reading
// a live lab's copy reads it like any file. Loading the text gives back the
// same lab (unit-tested on every bundled lab).
#include <string>

#include "core/topology/model.hpp"

namespace natlab {

std::string emit_yaml(const Topology& topo);

}  // namespace natlab
