#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "edge/container/image_build.hpp"
#include "edge/system/root.hpp"

namespace natlab {
namespace {

void run_build(const ImageSpec& spec) {
    check_image_request(spec);
    require_root("image build");
    std::cout << "building " << spec.directory << " (Debian " << spec.suite << ") with debootstrap"
              << std::endl;
    double s = build_image(spec);
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
