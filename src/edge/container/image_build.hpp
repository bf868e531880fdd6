#pragma once
// natlab image build: an OS tree for containers, made by debootstrap.
#include "core/container/image.hpp"

namespace natlab {

// Throws InvalidInput naming the fix: a bad spec, a directory that exists
// and is not empty, no debootstrap.
void check_image_request(const ImageSpec& spec);

// Runs debootstrap; returns the seconds it took. On failure no half tree is
// left (it would pass for an OS tree later).
double build_image(const ImageSpec& spec);

}  // namespace natlab
