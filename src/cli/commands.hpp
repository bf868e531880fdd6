#pragma once
// Every natlab command, one file each: each registers its options and its
// callback, which parses nothing more, calls one use case and prints.
#include "cli/exit.hpp"

namespace CLI {
class App;
}

namespace natlab {

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
void register_capture(CLI::App& app);
void register_traffic(CLI::App& app);
void register_mappings(CLI::App& app);
void register_punch(CLI::App& app);
void register_matrix(CLI::App& app);
void register_rules(CLI::App& app);
void register_probe(CLI::App& app);
void register_verify(CLI::App& app);
void register_set(CLI::App& app);
void register_link(CLI::App& app);
void register_rebind(CLI::App& app);
void register_flush(CLI::App& app);
void register_serve(CLI::App& app);
// Hidden: what shell completion and the manual pages are made from.
void register_complete(CLI::App& app);
void register_manual(CLI::App& app);
// Hidden: udhcpc's hook in a lab's DHCP client.
void register_dhcp_event(CLI::App& app);

}  // namespace natlab
