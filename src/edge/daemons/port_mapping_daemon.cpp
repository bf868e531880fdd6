#include "edge/daemons/port_mapping_daemon.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/util/text.hpp"
#include "edge/daemons/daemon.hpp"
#include "edge/daemons/spawn.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/kernel/nft.hpp"
#include "edge/system/error.hpp"
#include "edge/system/exec_argv.hpp"
#include "edge/system/process.hpp"
#include "edge/system/text_file.hpp"

namespace natlab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyWait = std::chrono::seconds(10);  // its STUN check may wait 3 s twice
constexpr auto kPoll = std::chrono::milliseconds(20);
constexpr auto kBindPoll = std::chrono::milliseconds(1);

// A daemon that did not start, and the end of the service's log, where both
// write.
KernelError failure(const PortMappingService& service, const std::string& what,
                    const std::string& why) {
    return KernelError(what + ": " + why + "; the end of " + service.log + ":" +
                       log_tail(service.log));
}

// Until stund has bound its four sockets (the external address and loopback,
// each on the STUN port and the next): miniupnpd's STUN check, sent before,
// goes unanswered, and miniupnpd waits 3 s before it asks again.
void wait_until_answering(const PortMappingService& service, pid_t stund, const std::string& what) {
    for (auto deadline = Clock::now() + kReadyWait;; std::this_thread::sleep_for(kBindPoll)) {
        if (sockets_on(stund, "udp", kStunPort) >= 2 &&
            sockets_on(stund, "udp", kStunPort + 1) >= 2)
            return;
        if (!process_record(stund)) throw failure(service, what, "stund stopped");
        if (Clock::now() > deadline)
            throw failure(service, what, "stund did not bind its ports within 10 s");
    }
}

// Until miniupnpd's log says it listens, looking only past `from`, what the
// log held before it started (a restarted service's log holds the first
// start's lines too).
void wait_until_listening(const PortMappingService& service, pid_t miniupnpd, std::size_t from,
                          const std::string& what) {
    const std::string ready = miniupnpd_ready_line(service);
    for (auto deadline = Clock::now() + kReadyWait;; std::this_thread::sleep_for(kPoll)) {
        std::string whole = read_text_file(service.log);
        std::string log = whole.size() > from ? whole.substr(from) : "";
        if (log.find(ready) != std::string::npos) return;
        std::string why;
        if (log.find(kMiniupnpdRefused) != std::string::npos)
            why = "miniupnpd refuses to map ports (its STUN check failed)";
        else if (!process_record(miniupnpd))
            why = "miniupnpd stopped";
        else if (Clock::now() > deadline)
            why = "miniupnpd did not listen within 10 s";
        if (!why.empty()) throw failure(service, what, why);
    }
}

}  // namespace

std::string missing_port_mapping_programs() {
    std::vector<std::string> missing;
    for (const auto& p : kPortMappingPrograms)
        if (find_program(p.name).empty())
            missing.push_back(std::string(p.name) + " (Debian package " + p.package + ")");
    return join(missing, ", ");
}

std::vector<pid_t> start_port_mapping(const PortMappingService& service, int netns_fd,
                                      const std::string& netns, const std::string& what) {
    if (std::string missing = missing_port_mapping_programs(); !missing.empty())
        throw KernelError(what + ": not installed: " + missing +
                          "; install them with apt-get install miniupnpd-nftables stun-server");
    std::filesystem::create_directories(std::filesystem::path(service.config).parent_path());
    write_text_file(service.log, "");
    {
        NetnsGuard inside(netns_fd, netns);
        NftContext().run(render_port_mapping_table(service), what);
    }
    return run_port_mapping(service, netns_fd, what);
}

std::vector<pid_t> run_port_mapping(const PortMappingService& service, int netns_fd,
                                    const std::string& what) {
    write_text_file(service.config, render_miniupnpd_config(service));
    const std::size_t logged = read_text_file(service.log).size();
    std::vector<pid_t> started;
    try {
        started.push_back(spawn_in_netns(stun_server_argv(service), netns_fd, service.log));
        wait_until_answering(service, started.back(), what);
        started.push_back(spawn_in_netns(miniupnpd_argv(service), netns_fd, service.log));
        wait_until_listening(service, started.back(), logged, what);
    } catch (...) {
        for (pid_t pid : started) ::kill(pid, SIGKILL);
        throw;
    }
    return started;
}

// miniupnpd writes its leases as it goes and removes its pid file when it
// ends: told to stop, it leaves nothing a new one would trip over.
void stop_port_mapping(const std::string& netns) {
    std::vector<std::string> programs;
    for (const auto& p : kPortMappingPrograms) programs.emplace_back(p.name);
    stop_daemons(netns, programs);
}

}  // namespace natlab
