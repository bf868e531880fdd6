#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "core/container/image.hpp"
#include "edge/kernel/exec_argv.hpp"

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

void run_build(const ImageSpec& spec) {
    if (auto problem = image_spec_problem(spec); !problem.empty())
        throw InvalidInput("natlab image build: " + problem);
    check_directory(spec.directory);
    if (find_program("debootstrap").empty())
        throw InvalidInput(
            "natlab image build: debootstrap is not installed; install it with 'apt-get install "
            "debootstrap'");
    require_root("image build");
    bool made_here = !fs::exists(spec.directory);
    auto start = std::chrono::steady_clock::now();
    std::cout << "building " << spec.directory << " (Debian " << spec.suite << ") with debootstrap"
              << std::endl;
    int code = run_program(debootstrap_arguments(spec), "natlab image build");
    if (code != 0) {
        // Half a tree would pass for an OS tree later; leave none.
        std::error_code ignored;
        if (made_here) fs::remove_all(spec.directory, ignored);
        throw std::runtime_error("debootstrap failed (exit " + std::to_string(code) +
                                 "); nothing was kept. Its log, when it got that far, was in " +
                                 spec.directory + "/debootstrap/debootstrap.log");
    }
    auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "built " << spec.directory << " in " << static_cast<int>(s) << " s\n"
              << "use it in a topology with:  container: {root: " << spec.directory << "}\n";
}

}  // namespace

void register_image(CLI::App& app) {
    auto spec = std::make_shared<ImageSpec>();
    auto* image = app.add_subcommand("image", "Prepare OS trees for containers");
    image->require_subcommand(1);
    auto* build = image->add_subcommand("build", "Build a Debian tree with debootstrap (root)");
    build->add_option("dir", spec->directory, "Directory to build the tree in (new or empty)")
        ->required();
    build->add_option("--suite", spec->suite, "Debian suite")->capture_default_str();
    build->add_option("--packages", spec->packages, "Extra packages, comma separated")
        ->delimiter(',');
    build->add_option("--mirror", spec->mirror, "Debian mirror")->capture_default_str();
    build->footer(
        "Every tree gets systemd (so 'boot: true' works), iproute2, ping, nftables, conntrack,\n"
        "netcat and procps. Needs network access to the mirror; takes a few minutes.\n"
        "Example:\n"
        "  natlab image build /var/lib/natlab/bookworm --packages iperf3,tcpdump");
    build->callback([spec] { run_build(*spec); });
}

}  // namespace natlab
