// natlab __dhcp-event LAB NODE IFACE EVENT (hidden): udhcpc's hook in a lab's
// DHCP client calls it with the lease in its environment (core/dhcp).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "core/dhcp/dhcp_client.hpp"
#include "edge/use_cases/dhcp_event.hpp"

namespace natlab {

void register_dhcp_event(CLI::App& app) {
    auto words = std::make_shared<std::vector<std::string>>();
    auto* cmd = app.add_subcommand(kDhcpEventCommand, "");
    cmd->group("");  // hidden: only udhcpc's hook runs it
    cmd->add_option("words", *words, "LAB NODE IFACE EVENT")->expected(4)->required();
    cmd->callback([words] {
        const auto& w = *words;
        std::cout << handle_dhcp_event(w[0], w[1], w[2], w[3]) << std::endl;
    });
}

}  // namespace natlab
