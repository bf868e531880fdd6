#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "version.hpp"

namespace natlab {
namespace {

// A command that undoes its work on a signal takes it through an InterruptFlag
// of its own; every other one gets the signals' default action back as soon as
// its command line is parsed.
enum class OnSignal { default_action, undo_first };

struct Command {
    void (*add)(CLI::App&);
    OnSignal on_signal;
};

constexpr Command kCommands[] = {
    {register_create, OnSignal::undo_first},       {register_run, OnSignal::undo_first},
    {register_clean, OnSignal::default_action},    {register_status, OnSignal::default_action},
    {register_list, OnSignal::default_action},     {register_exec, OnSignal::default_action},
    {register_shell, OnSignal::default_action},    {register_image, OnSignal::default_action},
    {register_plan, OnSignal::default_action},     {register_graph, OnSignal::default_action},
    {register_rules, OnSignal::default_action},    {register_watch, OnSignal::undo_first},
    {register_capture, OnSignal::undo_first},      {register_traffic, OnSignal::default_action},
    {register_mappings, OnSignal::default_action}, {register_punch, OnSignal::default_action},
    {register_matrix, OnSignal::undo_first},       {register_probe, OnSignal::default_action},
    {register_verify, OnSignal::default_action},   {register_set, OnSignal::default_action},
    {register_link, OnSignal::default_action},     {register_rebind, OnSignal::default_action},
    {register_flush, OnSignal::default_action},    {register_serve, OnSignal::undo_first},
};

// Positional arguments are named for what they hold; the type shown in --help
// says it, and shell completion offers the live names of that type.
void name_argument_types(CLI::App& command) {
    static const std::map<std::string, std::string> kTypes = {
        {"lab", "LAB"},
        {"node", "NODE"},
        {"nat", "NAT"},
        {"nats", "NAT"},
        {"labs", "LAB"},
        {"host", "HOST"},
        {"host_a", "HOST"},
        {"host_b", "HOST"},
        {"end", "NODE:IFACE"},
        {"targets", "NODE[:IFACE]"},
        {"target", "NODE:IFACE|NAT"},
        {"command", "CMD"},
        {"dir", "DIR"},
        {"settings", "KEY=VALUE"},
    };
    for (CLI::Option* option :
         command.get_options([](CLI::Option* o) { return o->get_positional(); }))
        if (auto it = kTypes.find(option->get_name()); it != kTypes.end())
            option->type_name(it->second);
    for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; }))
        name_argument_types(*sub);
}

// Every --help ends by naming the page that documents the command; a nested
// command (image build) is documented on its parent's page.
void name_manual(CLI::App& command, const std::string& page) {
    command.footer(command.get_footer() + "\nManual: man " + page);
    for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; }))
        name_manual(*sub, page);
}

}  // namespace

std::string manual_name(const CLI::App& command) {
    return command.get_parent() == nullptr ? "natlab" : "natlab-" + command.get_name();
}

bool is_public(const CLI::App& command) {
    return !command.get_name().starts_with("__");
}

void build_app(CLI::App& app) {
    app.name("natlab");
    app.description(
        "natlab: build network labs with NATs from a YAML topology, in milliseconds.\n"
        "Example: natlab create labs/two-nat.yaml && natlab exec two-nat c0 -- ping -c1 "
        "100.64.2.100");
    app.set_version_flag("--version", std::string("natlab ") + kVersion);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 success, 1 runtime failure (the kernel refused something), 2 invalid "
        "input,\n3 verify found a NAT that does not behave as declared; exec and run pass their "
        "command's\nexit code through (128+N: ended by signal N), and run's own failures exit "
        "125.\n"
        "Run 'natlab COMMAND --help' for a command's options and an example.\n"
        "Manual: man natlab, and man natlab-COMMAND for each command.");
    for (const Command& entry : kCommands) {
        entry.add(app);
        CLI::App* command = app.get_subcommands([](CLI::App*) { return true; }).back();
        if (entry.on_signal == OnSignal::default_action)
            command->parse_complete_callback(allow_interrupts);
        name_argument_types(*command);
        name_manual(*command, manual_name(*command));
    }
    register_complete(app);
    register_manual(app);
    register_dhcp_event(app);
}

}  // namespace natlab
