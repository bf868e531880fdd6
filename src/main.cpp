// natlab: YAML topology -> network lab. Wiring only: parse the command line,
// run one command, turn errors into messages and exit codes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/app.hpp"
#include "cli/exit.hpp"
#include "cli/parse_errors.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/use_cases/run_fixture.hpp"

namespace {

// SIGINT, SIGTERM and SIGHUP wait from the first code natlab runs: the
// pre-init array runs before every initializer of the program and its
// libraries. A signal while the kernel and the dynamic loader still load the
// program ends it by the default action, before anything is made.
void defer_interrupts_first(int, char**, char**) {
    natlab::defer_interrupts();
}
[[gnu::section(".preinit_array"),
  gnu::used]] void (*const kDeferFirst)(int, char**, char**) = defer_interrupts_first;

}  // namespace

int main(int argc, char** argv) {
    using namespace natlab;
    CLI::App app;
    build_app(app);
    const std::vector<std::string> args(argv + 1, argv + argc);
    // natlab run passes its command's exit code through: its own failures
    // take one code of their own (kRunFailed), so a CI job tells them apart.
    const bool run = !args.empty() && args.front() == "run";
    auto own = [run](int code) { return run ? kRunFailed : code; };
    try {
        if (auto message = unknown_command(app, args)) {
            std::cerr << *message << "\n";
            return kExitInvalid;
        }
        if (run) require_command_separator(std::vector<std::string>(args.begin() + 1, args.end()));
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ExtrasError& e) {
        std::cerr << parse_error_message(app, e) << "\n";
        return own(kExitInvalid);
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
