#include "edge/capture/live_capture.hpp"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/names/netns_name.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "core/util/threads.hpp"
#include "edge/capture/pcap_library.hpp"
#include "edge/kernel/netns.hpp"
#include "edge/system/fd.hpp"
#include "edge/use_cases/node_netns.hpp"

namespace natlab {

struct LiveCapture::Handle {
    struct Close {
        void operator()(pcap_t* p) const { pcap_library().close(p); }
    };
    std::unique_ptr<pcap_t, Close> pcap;
    std::string label;
};

namespace {

[[noreturn]] void fail(const std::string& label, const std::string& what, pcap_t* p) {
    throw std::runtime_error("capturing on " + label + ": " + what + ": " +
                             (p ? pcap_library().geterr(p) : "unknown error"));
}

std::unique_ptr<LiveCapture::Handle> open_handle(const std::string& lab, const CaptureTarget& t,
                                                 const std::string& filter, int snap_length,
                                                 int buffer_bytes) {
    const PcapLibrary& lib = pcap_library();  // before entering the namespace
    auto handle = std::make_unique<LiveCapture::Handle>();
    handle->label = t.label();
    UniqueFd netns = open_node_netns(lab, t.node);
    // The packet socket belongs to the namespace it was made in.
    NetnsGuard inside(netns.get(), netns_name(lab, t.node));
    char error[PCAP_ERRBUF_SIZE] = "";
    handle->pcap.reset(lib.create(t.interface.c_str(), error));
    pcap_t* p = handle->pcap.get();
    if (!p) throw std::runtime_error("capturing on " + t.label() + ": " + error);
    lib.set_snaplen(p, snap_length);
    lib.set_immediate_mode(p, 1);  // each packet as it comes, for a live view
    lib.set_buffer_size(p, buffer_bytes);
    if (int rc = lib.activate(p); rc < 0) fail(t.label(), lib.statustostr(rc), p);
    if (!filter.empty()) {
        bpf_program program{};
        if (lib.compile(p, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
            throw InvalidInput("natlab capture: --filter " + quote(filter) + ": " + lib.geterr(p) +
                               "; write a pcap filter, e.g. 'udp port 5000'");
        int rc = lib.setfilter(p, &program);
        lib.freecode(&program);
        if (rc != 0) fail(t.label(), "setting the filter", p);
    }
    if (lib.setnonblock(p, 1, error) != 0) fail(t.label(), "non-blocking mode", p);
    // libpcap opens its socket without O_CLOEXEC.
    int fd = lib.get_selectable_fd(p);
    if (fd >= 0) ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
    return handle;
}

// libnftables waits for the kernel's answer with select(), which takes no
// descriptor above 1023 (a NAT change scheduled in 'natlab run --capture').
// A lab's capture sockets, one per interface, could take every descriptor
// below that; a few low ones are kept taken while they are opened, so that
// they are free again afterwards.
class LowDescriptorsKept {
  public:
    LowDescriptorsKept() {
        for (int i = 0; i < kKept; ++i) {
            UniqueFd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            if (!fd) break;  // at the limit already: opening the sockets will tell
            kept_.push_back(std::move(fd));
        }
    }

  private:
    static constexpr int kKept = 16;
    std::vector<UniqueFd> kept_;
};

// Opening a packet socket on an interface and closing it each wait for an
// RCU grace period in the kernel, and waits at the same time share one: a
// lab's many interfaces are opened and closed on many threads (1200 took
// 15 s to open and 30 s to close one after another).
constexpr unsigned kSocketThreads = 32;

void close_all(std::vector<std::unique_ptr<LiveCapture::Handle>>& handles) {
    parallel_for(handles.size(), kSocketThreads, [&](std::size_t i) { handles[i].reset(); });
    handles.clear();
}

}  // namespace

LiveCapture::LiveCapture(const std::string& lab, const std::vector<CaptureTarget>& targets,
                         const std::string& filter, int snap_length, int buffer_bytes)
    : handles_(targets.size()) {
    LowDescriptorsKept low;
    try {
        parallel_for(targets.size(), kSocketThreads, [&](std::size_t i) {
            handles_[i] = open_handle(lab, targets[i], filter, snap_length, buffer_bytes);
        });
    } catch (...) {
        close_all(handles_);
        throw;
    }
}

LiveCapture::~LiveCapture() {
    close_all(handles_);
}

namespace {

std::uint64_t now_microseconds() {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);  // the clock libpcap stamps packets with
    return static_cast<std::uint64_t>(now.tv_sec) * 1000000u +
           static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
}

}  // namespace

int LiveCapture::read(int timeout_ms, const std::function<void(const CapturedPacket&)>& on_packet) {
    std::vector<pollfd> fds;
    for (const auto& h : handles_)
        fds.push_back({pcap_library().get_selectable_fd(h->pcap.get()), POLLIN, 0});
    const int hold_ms = static_cast<int>(kReorderWindowMicroseconds / 1000);
    if (!pending_.empty()) timeout_ms = std::min(timeout_ms, hold_ms);
    if (::poll(fds.data(), fds.size(), timeout_ms) > 0) {
        for (std::size_t i = 0; i < handles_.size(); ++i) {
            // POLLERR alone: the interface went down (natlab link ... down).
            // libpcap reads the socket's error, which clears it; unread, it
            // would wake every poll at once until the link is up again.
            if (!fds[i].revents) continue;
            pcap_pkthdr* header = nullptr;
            const u_char* data = nullptr;
            while (pcap_library().next_ex(handles_[i]->pcap.get(), &header, &data) == 1)
                pending_.push_back({i,
                                    static_cast<std::uint64_t>(header->ts.tv_sec) * 1000000u +
                                        static_cast<std::uint64_t>(header->ts.tv_usec),
                                    {data, data + header->caplen},
                                    header->len});
        }
    }
    return hand_on(now_microseconds() - kReorderWindowMicroseconds, on_packet);
}

int LiveCapture::flush(const std::function<void(const CapturedPacket&)>& on_packet) {
    return hand_on(UINT64_MAX, on_packet);
}

long LiveCapture::run(const std::atomic<bool>& stop, long count,
                      const std::function<void(const CapturedPacket&)>& on_packet) {
    long seen = 0;
    auto take = [&](const CapturedPacket& p) {
        if (count && seen >= count) return;
        ++seen;
        on_packet(p);
    };
    while (!stop.load() && (count == 0 || seen < count)) read(kReadSliceMs, take);
    read(0, take);  // what the kernel had when told to stop, not yet read
    flush(take);
    return seen;
}

// Packets are handed on in the order of their timestamps, not of reading: a
// received packet is stamped when its sender queued it, but may reach the
// packet socket after a later one on another interface was read. So each
// waits a reorder window before it goes.
int LiveCapture::hand_on(std::uint64_t up_to_microseconds,
                         const std::function<void(const CapturedPacket&)>& on_packet) {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
        return a.microseconds < b.microseconds;
    });
    auto ready = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
        return p.microseconds > up_to_microseconds;
    });
    for (auto it = pending_.begin(); it != ready; ++it)
        on_packet({it->target, it->microseconds, it->bytes, it->original_length});
    int handed = static_cast<int>(ready - pending_.begin());
    pending_.erase(pending_.begin(), ready);
    return handed;
}

unsigned LiveCapture::dropped() const {
    unsigned total = 0;
    for (const auto& h : handles_) {
        pcap_stat stats{};
        if (pcap_library().stats(h->pcap.get(), &stats) == 0) total += stats.ps_drop;
    }
    return total;
}

}  // namespace natlab
