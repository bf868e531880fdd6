#pragma once
// What the commands share: exit codes, loading a lab file end to end, and
// the error types main() turns into messages.
#include <stdexcept>
#include <string>

#include "plan/plan.hpp"
#include "topology/lab.hpp"

namespace CLI {
class App;
}

namespace natlab {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,  // the kernel or the system refused something
    kExitInvalid = 2,  // bad topology file or bad command line
};

// Bad input: the message is ready to print (diagnostics included).
class InvalidInput : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A command wants to end the process with this code and no further message.
struct ExitRequest {
    int code;
};

struct LoadedLab {
    std::string path;  // as given
    std::string text;  // the file's contents
    Lab lab;
    Plan plan;
};

// Reads, loads, validates and plans; throws InvalidInput listing every problem.
// A non-empty name_override replaces the file's lab name.
LoadedLab load_lab(const std::string& path, const std::string& name_override = "");
LoadedLab load_lab_text(const std::string& text, const std::string& path, const std::string& name_override = "");

void require_root(const std::string& command);
// Throws InvalidInput unless the lab name is usable.
void check_lab_name(const std::string& lab);

void register_create(CLI::App& app);
void register_clean(CLI::App& app);
void register_status(CLI::App& app);
void register_list(CLI::App& app);
void register_exec(CLI::App& app);
void register_plan(CLI::App& app);

}  // namespace natlab
