#pragma once
// What the commands share: exit codes, and what main() turns into an exit.
#include <optional>
#include <string>

#include "core/lab/lab_description.hpp"
#include "core/lab/loaded_lab.hpp"
#include "edge/kernel/fd.hpp"

namespace CLI {
class App;
}

namespace natlab {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,   // the kernel or the system refused something
    kExitInvalid = 2,   // bad topology file or bad command line
    kExitMismatch = 3,  // verify: a NAT does not behave as its topology declares
    kExitNoPath = 4,    // punch: no direct connection between the two hosts
};

// A command wants to end the process with this code and no further message.
struct ExitRequest {
    int code;
};

void require_root(const std::string& command);

// The node's network namespace, open; throws when it is missing.
UniqueFd open_node_netns(const std::string& lab, const std::string& node);

// "c0, c1, nat0": the lab's nodes (of one kind, when given), for messages
// that must say what would have been right.
std::string node_names(const Lab& lab, std::optional<NodeKind> kind = std::nullopt);

// The NAT node `node` of the lab, or InvalidInput saying that only NAT nodes
// have `what` ("rules", "mappings").
const LabNode& require_nat_node(const LoadedLab& loaded, const std::string& node,
                                const std::string& what);

struct CreateRequest {
    bool replace = false;   // remove a lab of the same name first
    bool rootless = false;  // the lab is built in natlab run's user namespace
};

// Builds the lab, all or nothing (rolled back on failure or SIGINT/SIGTERM/
// SIGHUP), with its description file; returns the milliseconds it took.
double create_lab(const LoadedLab& loaded, const CreateRequest& request);

// What the description file and NATLAB_* variables say of where things are.
DescriptionContext description_context(const LoadedLab& loaded, bool rootless);

void register_create(CLI::App& app);
void register_run(CLI::App& app);
void register_clean(CLI::App& app);
void register_status(CLI::App& app);
void register_list(CLI::App& app);
void register_exec(CLI::App& app);
void register_shell(CLI::App& app);
void register_image(CLI::App& app);
void register_plan(CLI::App& app);
void register_graph(CLI::App& app);
void register_watch(CLI::App& app);
void register_mappings(CLI::App& app);
void register_punch(CLI::App& app);  // and matrix
void register_rules(CLI::App& app);
void register_probe(CLI::App& app);
void register_verify(CLI::App& app);

}  // namespace natlab
