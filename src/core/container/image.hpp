#pragma once
// 'natlab image build': an OS tree for containers, made by debootstrap.
#include <string>
#include <vector>

namespace natlab {

struct ImageSpec {
    std::string directory;
    std::string suite = "bookworm";
    std::vector<std::string> packages;  // beyond what every natlab container needs
    std::string mirror = "http://deb.debian.org/debian";
};

// What every tree gets: systemd to boot, and the tools a lab node is used with.
const std::vector<std::string>& image_base_packages();

// "" when the spec is usable, else what is wrong and the fix.
std::string image_spec_problem(const ImageSpec& spec);

// argv, starting with "debootstrap".
std::vector<std::string> debootstrap_arguments(const ImageSpec& spec);

}  // namespace natlab
