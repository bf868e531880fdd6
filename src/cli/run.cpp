// natlab run: a lab as a fixture around one command (edge/use_cases/run_fixture).
#include <CLI/CLI.hpp>

#include <optional>

#include "cli/commands.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/capture/run_capture.hpp"
#include "edge/serve/run_serve.hpp"
#include "edge/use_cases/run_fixture.hpp"

namespace natlab {

void register_run(CLI::App& app) {
    auto opt = std::make_shared<RunRequest>();
    auto* cmd = app.add_subcommand(
        "run", "Create a lab, run one command with it, remove it (a fixture for tests and CI)");
    cmd->add_option("file", opt->file, "Topology file (YAML)")->required()->type_name("LAB.yaml");
    cmd->add_option("command", opt->command, "Command and its arguments, after --")->required();
    cmd->add_option("--name", opt->name,
                    "Lab name (default: the file's name and a random suffix, unique per run)");
    cmd->add_option("--in", opt->in_node, "Run the command on this node instead of the host")
        ->type_name("NODE");
    cmd->add_flag("--keep", opt->keep, "Leave the lab in place afterwards (root only)");
    cmd->add_flag("--keep-on-failure", opt->keep_on_failure,
                  "Leave the lab in place only when the command fails, to look at it (root "
                  "only)");
    cmd->add_flag("-q,--quiet", opt->quiet, "Print nothing of natlab's own on success");
    cmd->add_option("--at", opt->at,
                    "At TIME after the command starts, change the lab: ACTION as the command "
                    "would, without the lab's name (repeatable)")
        ->type_name("TIME ACTION")
        ->expected(1)  // one pair per --at: the words after it are not all times and actions
        ->allow_extra_args(false)
        ->take_all();
    cmd->add_option("--schedule", opt->schedule_file,
                    "A file of 'TIME ACTION' lines ('#' comments), as --at")
        ->type_name("FILE");
    auto capture_dir = std::make_shared<std::string>();
    cmd->add_option("--capture", *capture_dir,
                    "Capture every interface of every node for the whole run into "
                    "DIR/LAB.pcapng (DIR made if missing), kept however the command ends")
        ->type_name("DIR");
    auto serve_at = std::make_shared<std::string>();
    cmd->add_option("--serve", *serve_at,
                    "Serve the lab's live page (natlab serve, read-only) while the command runs, "
                    "on ADDR:PORT (default 127.0.0.1:7180; root only)")
        ->type_name("[ADDR:PORT]")
        ->expected(0, 1);
    cmd->footer(
        "The command gets the lab in its environment: NATLAB_LAB, NATLAB_LAB_JSON (a JSON\n"
        "description), NATLAB_BIN, NATLAB_NODES, and per node NATLAB_NODE_<NODE>_NETNS, _KIND,\n"
        "_IPV4, _IPV6, _<IFACE>_IPV4 ... (names upper-cased, other characters as '_').\n"
        "natlab exits with the command's exit code (128+N when signal N ended it). natlab's own\n"
        "failures exit 125 (a bad file or option, the kernel refused the lab, a scheduled change\n"
        "failed, the lab could not be removed), with a message that starts 'natlab'. The lab is\n"
        "removed also when the command fails or is killed and when natlab gets SIGINT, SIGTERM\n"
        "or SIGHUP (passed on to the command first; 128+N is then natlab's exit code).\n"
        "Without root, the lab is built in a new unprivileged user namespace that vanishes with\n"
        "the run (no containers there).\n"
        "--capture DIR: the packets of every interface, from before the command starts until it\n"
        "ends, in one pcapng file DIR/LAB.pcapng with an interface per NODE:IFACE (as natlab\n"
        "capture writes), kept whether the command passed or failed, for a CI job to upload;\n"
        "natlab says where (also without root).\n"
        "A scenario changes the lab while the command runs, each change journalled as by hand:\n"
        "  --at 5s 'link nat0:wan down'            link NODE:IFACE down|up\n"
        "  --at 2s 'set nat0:wan delay=50ms'       set NODE:IFACE KEY=VALUE... [--clear]\n"
        "  --at 3s 'set nat0 type=symmetric'       set NAT KEY=VALUE... [--bindings keep|drop]\n"
        "  --at 8s 'rebind nat0 --inside c0'       rebind NAT [--inside HOST[:PORT]]\n"
        "  --at 9.5s 'flush nat0'                  flush NAT\n"
        "Times count from the command's start (s, ms); the whole scenario is checked against\n"
        "the lab before anything is made. A change that fails is told, and makes a command that\n"
        "passed exit 125.\n"
        "Examples:\n"
        "  natlab run labs/two-nat.yaml -- sh -c 'ip netns exec $NATLAB_NODE_C0_NETNS ping -c1 "
        "$NATLAB_NODE_INTERNET_IPV4'\n"
        "  natlab run labs/two-nat.yaml --in c0 -- ping -c1 100.64.2.100\n"
        "  natlab run labs/two-nat.yaml --capture captures --in c0 -- ping -c1 100.64.2.100\n"
        "  natlab run labs/two-nat.yaml --at 1s 'link nat0:wan down' --at 3s 'link nat0:wan up' "
        "--in c0 -- ping -c50 -i0.1 100.64.2.100");
    cmd->callback([opt, capture_dir, serve_at, cmd] {
        RunHookList hooks;
        std::optional<RunCapture> capture;
        if (!capture_dir->empty()) hooks.add(capture.emplace(*capture_dir));
        std::optional<RunServe> serve;
        if (cmd->count("--serve")) {
            const std::string at = serve_at->empty() ? kDefaultServeAddress : *serve_at;
            ListenAddress listen = parse_listen_address(at);
            if (listen.host.empty())
                throw InvalidInput("natlab run: --serve " + at +
                                   " is not ADDR:PORT; write e.g. 127.0.0.1:7180");
            hooks.add(serve.emplace(listen));
        }
        throw ExitRequest{run_fixture(*opt, hooks.empty() ? nullptr : &hooks)};
    });
}

}  // namespace natlab
