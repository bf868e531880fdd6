// natlab capture: packets of lab interfaces, as pcapng (a file or stdout) or
// as a live line per packet.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <system_error>

#include "cli/commands.hpp"
#include "core/capture/frame_summary.hpp"
#include "core/util/invalid_input.hpp"
#include "edge/capture/live_capture.hpp"
#include "edge/capture/pcapng_writer.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/root.hpp"
#include "edge/use_cases/live_lab.hpp"

namespace natlab {
namespace {

struct CaptureOptions {
    std::string lab, file, filter;
    std::vector<std::string> targets;
    long count = 0;  // 0: until Ctrl-C
};

// "14:03:07.214881": the packet's own time.
std::string packet_time(std::uint64_t microseconds) {
    std::time_t t = static_cast<std::time_t>(microseconds / 1000000);
    char hms[16];
    std::strftime(hms, sizeof hms, "%H:%M:%S", std::localtime(&t));
    char out[32];
    std::snprintf(out, sizeof out, "%s.%06llu", hms,
                  static_cast<unsigned long long>(microseconds % 1000000));
    return out;
}

// pcapng into a file or stdout, or nothing (a line per packet).
std::optional<PcapngWriter> open_pcapng(const CaptureOptions& opt,
                                        const std::vector<CaptureTarget>& targets) {
    if (opt.file.empty()) return std::nullopt;
    try {
        return std::optional<PcapngWriter>(std::in_place, opt.file, targets, kSnapLength, true);
    } catch (const std::system_error& e) {
        throw InvalidInput("natlab capture: cannot write " + opt.file + " (" + e.code().message() +
                           "): check the directory exists and is writable");
    }
}

void run_capture(const CaptureOptions& opt) {
    require_root("capture");
    LoadedLab loaded = load_live_lab(opt.lab);
    std::vector<CaptureTarget> targets = capture_targets(loaded.lab, opt.targets);
    InterruptFlag interrupt;
    LiveCapture capture(opt.lab, targets, opt.filter, kSnapLength);
    std::optional<PcapngWriter> pcapng = open_pcapng(opt, targets);
    std::string names;
    for (const auto& t : targets) names += (names.empty() ? "" : ", ") + t.label();
    std::cerr << "natlab capture: capturing on " << names << " of lab " << opt.lab
              << (opt.file.empty() ? "" : " into " + (opt.file == "-" ? "stdout" : opt.file))
              << "; Ctrl-C ends\n";
    long seen = capture.run(*interrupt.flag(), opt.count, [&](const CapturedPacket& p) {
        if (pcapng) return pcapng->write(p);
        std::cout << packet_time(p.microseconds) << " " << targets[p.target].label() << " "
                  << summarize_frame(p.bytes) << std::endl;
    });
    std::cerr << "natlab capture: " << seen << " packet" << (seen == 1 ? "" : "s");
    if (unsigned dropped = capture.dropped())
        std::cerr << " (" << dropped << " more dropped by the kernel: they came faster than read)";
    std::cerr << "\n";
}

}  // namespace

void register_capture(CLI::App& app) {
    auto opt = std::make_shared<CaptureOptions>();
    auto* cmd = app.add_subcommand(
        "capture", "Capture packets on lab interfaces, as pcapng or a live summary (root)");
    cmd->add_option("lab", opt->lab, "Lab name")->required();
    cmd->add_option("targets", opt->targets,
                    "NODE:IFACE to capture on (several: one pcapng interface each; NODE alone: "
                    "all its interfaces)")
        ->required();
    cmd->add_option("-w,--write", opt->file,
                    "Write pcapng to FILE ('-': stdout, e.g. into 'wireshark -k -i -') instead of "
                    "printing a line per packet")
        ->type_name("FILE");
    cmd->add_option("--filter", opt->filter, "A pcap filter, e.g. 'udp port 5000'")
        ->type_name("EXPR");
    cmd->add_option("--count", opt->count, "Stop after this many packets")
        ->check(CLI::Range(1L, 1000000000L));
    cmd->footer(
        "Packets are read through libpcap inside each node's namespace; the pcapng file names\n"
        "each interface NODE:IFACE, so Wireshark shows where every packet was seen. Ctrl-C\n"
        "(SIGINT, SIGTERM) ends the capture and leaves a complete file.\n"
        "Examples:\n"
        "  natlab capture two-nat nat0:lan nat0:wan\n"
        "  natlab capture two-nat nat0:wan nat1:wan -w punch.pcapng --filter udp\n"
        "  natlab capture two-nat nat0:wan -w - | wireshark -k -i -");
    cmd->callback([opt] { run_capture(*opt); });
}

}  // namespace natlab
