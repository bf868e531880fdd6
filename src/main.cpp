// natlab: YAML topology -> network lab. Wiring only: parse the command line,
// run one command, turn errors into messages and exit codes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/kernel/interrupt_flag.hpp"
#include "edge/lab/run_fixture.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
    using namespace natlab;
    defer_interrupts();  // a signal from here on waits for the command to take it
    CLI::App app{
        "natlab: build network labs with NATs from a YAML topology, in milliseconds.\n"
        "Example: natlab create labs/two-nat.yaml && natlab exec two-nat c0 -- ping -c1 "
        "100.64.2.100",
        "natlab"};
    app.set_version_flag("--version", std::string("natlab ") + kVersion);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 success, 1 runtime failure (the kernel refused something), 2 invalid "
        "input,\n3 verify found a NAT that does not behave as declared; exec and run pass their "
        "command's\nexit code through (128+N: ended by signal N), and run's own failures exit "
        "125.\n"
        "Run 'natlab COMMAND --help' for a command's options and an example.");
    register_create(app);
    register_run(app);
    register_clean(app);
    register_status(app);
    register_list(app);
    register_exec(app);
    register_shell(app);
    register_image(app);
    register_plan(app);
    register_graph(app);
    register_rules(app);
    register_watch(app);
    register_capture(app);
    register_traffic(app);
    register_mappings(app);
    register_punch(app);
    register_matrix(app);
    register_probe(app);
    register_verify(app);
    register_set(app);
    register_link(app);
    register_rebind(app);
    register_flush(app);
    // Commands that undo their work on a signal take it through an InterruptFlag
    // of their own; every other one gets the signals' default action back.
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
        const auto& name = command->get_name();
        if (name != "create" && name != "run" && name != "matrix" && name != "watch" &&
            name != "capture")
            command->parse_complete_callback(allow_interrupts);
    }
    // natlab run passes its command's exit code through: its own failures
    // take one code of their own (kRunFailed), so a CI job tells them apart.
    const bool run = argc > 1 && std::string(argv[1]) == "run";
    auto own = [run](int code) { return run ? kRunFailed : code; };
    try {
        if (run) require_command_separator(std::vector<std::string>(argv + 2, argv + argc));
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return own(kExitInvalid);
    } catch (const ExitRequest& e) {
        return e.code;
    } catch (const InvalidInput& e) {
        std::cerr << e.what() << "\n";
        return own(kExitInvalid);
    } catch (const std::exception& e) {
        std::cerr << "natlab: " << e.what() << "\n";
        return own(kExitFailure);
    }
    return kExitOk;
}
