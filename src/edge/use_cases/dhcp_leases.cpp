#include "edge/use_cases/dhcp_leases.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/hostnames/hosts_file.hpp"
#include "core/lifecycle/lab_description.hpp"
#include "core/lifecycle/leased_lab.hpp"
#include "core/lifecycle/live_changes.hpp"
#include "core/names/paths.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"
#include "edge/system/text_file.hpp"
#include "edge/use_cases/live_lab.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {

std::vector<DhcpLease> read_dhcp_leases(const Lab& lab) {
    std::vector<DhcpLease> out;
    for (const auto& [node, ifname] : dhcp_clients(lab))
        if (auto lease =
                parse_lease(read_text_file(dhcp_client_file(lab.name, node, ifname, ".lease"))))
            out.push_back(*lease);
    return out;
}

LoadedLab load_leased_lab(const std::string& lab) {
    auto state = load_state(lab);
    if (!state) throw InvalidInput(no_such_lab(lab));
    LoadedLab loaded =
        load_changed_lab(load_topology_copy(lab), state->source, lab, state->changes);
    apply_leases(loaded.lab, read_dhcp_leases(loaded.lab));
    return loaded;
}

void publish_dhcp_leases(const std::string& lab) {
    std::string lock_path = dhcp_dir(lab) + "/publish.lock";
    UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!lock) throw_errno("opening " + lock_path, errno);
    while (::flock(lock.get(), LOCK_EX) != 0)
        if (errno != EINTR) throw_errno("locking " + lock_path, errno);
    LoadedLab loaded = load_leased_lab(lab);
    if (std::filesystem::exists(lab_etc_dir(lab)))
        replace_text_file(lab_hosts_path(lab), hosts_file(loaded.lab));
    // The description keeps what create wrote of its context; until create
    // has written it, there is none to rewrite (create publishes once more).
    auto old = nlohmann::json::parse(read_text_file(lab_description_path(lab)), nullptr, false);
    if (!old.is_object() || !old.contains("source")) return;
    try {
        DescriptionContext context{old["source"].get<std::string>(),
                                   old["natlab"].get<std::string>(), lab_description_path(lab),
                                   old["rootless"].get<bool>()};
        replace_text_file(context.description, describe_lab(loaded.lab, context).dump(2) + "\n");
    } catch (const nlohmann::json::exception&) {
    }
}

}  // namespace natlab
