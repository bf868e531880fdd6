#include "edge/container/image_build.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include "core/util/invalid_input.hpp"
#include "edge/system/exec_argv.hpp"

namespace natlab {
namespace {

namespace fs = std::filesystem;

void check_directory(const std::string& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    if (!fs::is_directory(dir, ec))
        throw InvalidInput("natlab image build: " + dir + " exists and is not a directory");
    if (!fs::is_empty(dir, ec))
        throw InvalidInput("natlab image build: " + dir +
                           " is not empty; give a new directory, or remove this one first");
}

}  // namespace

void check_image_request(const ImageSpec& spec) {
    if (auto problem = image_spec_problem(spec); !problem.empty())
        throw InvalidInput("natlab image build: " + problem);
    check_directory(spec.directory);
    if (find_program("debootstrap").empty())
        throw InvalidInput(
            "natlab image build: debootstrap is not installed; install it with 'apt-get install "
            "debootstrap'");
}

double build_image(const ImageSpec& spec) {
    bool made_here = !fs::exists(spec.directory);
    auto start = std::chrono::steady_clock::now();
    int code = run_program(debootstrap_arguments(spec), "natlab image build");
    if (code != 0) {
        std::error_code ignored;
        if (made_here) fs::remove_all(spec.directory, ignored);
        throw std::runtime_error("debootstrap failed (exit " + std::to_string(code) +
                                 "); nothing was kept. Its log, when it got that far, was in " +
                                 spec.directory + "/debootstrap/debootstrap.log");
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace natlab
