#pragma once
// A value as the user wrote it, with where they wrote it, so that any later
// check can point at it.
#include "core/input/diagnostics.hpp"

namespace natlab {

template <class T>
struct Marked {
    T value{};
    SourcePos pos;
};

}  // namespace natlab
