#include "core/container/nspawn_command.hpp"

#include "core/names/paths.hpp"
#include "core/util/text.hpp"

namespace natlab {

OverlayLayout overlay_layout(const StartContainer& step) {
    std::string dir = container_dir(step.lab, step.node);
    return {dir, dir + "/upper", dir + "/work", dir + "/root"};
}

std::vector<std::string> nspawn_arguments(const StartContainer& step, bool register_machine,
                                          bool lab_names) {
    const LabContainer& c = step.container;
    std::vector<std::string> argv = {"systemd-nspawn", "--quiet", "--directory=" + step.directory,
                                     "--machine=" + step.machine,
                                     "--network-namespace-path=/run/netns/" + step.netns,
                                     // The host's machine id would clash with the container's.
                                     "--link-journal=no"};
    if (!register_machine) {
        // Without systemd as PID 1 there is no machined and no unit to move into.
        argv.push_back("--register=no");
        argv.push_back("--keep-unit");
    }
    // The lab's names over the container's (core/hostnames); with
    // --resolv-conf=off nspawn leaves resolv.conf to the bind.
    std::string etc = step.etc.empty() ? lab_etc_dir(step.lab) : step.etc;
    if (lab_names)
        argv.insert(argv.end(), {"--resolv-conf=off", "--bind-ro=" + etc + "/hosts:/etc/hosts",
                                 "--bind-ro=" + etc + "/resolv.conf:/etc/resolv.conf"});
    if (c.ephemeral) argv.push_back("--ephemeral");
    if (!c.capabilities.empty()) argv.push_back("--capability=" + join(c.capabilities, ","));
    for (const auto& b : c.binds)
        argv.push_back((b.read_only ? "--bind-ro=" : "--bind=") + b.source + ":" + b.target);
    for (const auto& [name, value] : c.env) argv.push_back("--setenv=" + name + "=" + value);
    if (c.boot) {
        // READY=1 then means the system inside finished starting up; the
        // console's output goes to the log.
        argv.insert(argv.end(), {"--boot", "--notify-ready=yes", "--console=read-only"});
        return argv;
    }
    // A stub init as PID 1 reaps zombies and ends when the command ends.
    argv.insert(argv.end(), {"--as-pid2", "--console=pipe", "--"});
    argv.insert(argv.end(), c.command.begin(), c.command.end());
    return argv;
}

std::vector<std::string> nspawn_environment(const StartContainer& step,
                                            const std::string& notify_socket) {
    std::vector<std::string> env = {"NOTIFY_SOCKET=" + notify_socket};
    // Each overlay is private to its container: there is nothing to lock, and
    // a lock file left by a killed nspawn would outlive the lab.
    if (step.container.host_root()) env.push_back("SYSTEMD_NSPAWN_LOCK=0");
    return env;
}

}  // namespace natlab
