#pragma once
// Packets of a lab's interfaces as they pass, through libpcap: each handle is
// opened inside its node's namespace (the socket stays there), then all are
// polled from one thread.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/capture/capture_target.hpp"

namespace natlab {

// Whole packets: the largest a capture takes (tcpdump's default).
inline constexpr int kSnapLength = 262144;

struct CapturedPacket {
    std::size_t target = 0;          // index into the targets given
    std::uint64_t microseconds = 0;  // since the epoch
    std::span<const std::uint8_t> bytes;
    std::uint32_t original_length = 0;
};

class LiveCapture {
  public:
    // Throws a runtime error naming the interface and libpcap's reason, or
    // InvalidInput for a filter libpcap cannot compile. From here on the
    // kernel keeps each interface's packets (up to buffer_bytes each) until
    // they are read. The sockets are closed on exec: a command natlab starts
    // does not inherit them.
    LiveCapture(const std::string& lab, const std::vector<CaptureTarget>& targets,
                const std::string& filter, int snap_length, int buffer_bytes = 4 << 20);
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    // Waits up to timeout_ms for packets and hands on_packet, in the order of
    // time, those older than the reorder window; returns how many.
    int read(int timeout_ms, const std::function<void(const CapturedPacket&)>& on_packet);
    // Hands on every packet still held (at the end of a capture).
    int flush(const std::function<void(const CapturedPacket&)>& on_packet);
    // The capture loop: reads until `stop` is set or `count` packets were
    // handed on (0: no limit), then hands on what the kernel had by then and
    // every packet still held. Returns how many were handed on.
    long run(const std::atomic<bool>& stop, long count,
             const std::function<void(const CapturedPacket&)>& on_packet);
    // Packets the kernel dropped because they came faster than were read.
    unsigned dropped() const;

    struct Handle;  // one interface's pcap handle (opaque: libpcap stays in the .cpp)

  private:
    static constexpr std::uint64_t kReorderWindowMicroseconds = 20000;
    static constexpr int kReadSliceMs = 50;  // how soon run() sees `stop`
    struct Pending {
        std::size_t target;
        std::uint64_t microseconds;
        std::vector<std::uint8_t> bytes;
        std::uint32_t original_length;
    };
    int hand_on(std::uint64_t up_to_microseconds,
                const std::function<void(const CapturedPacket&)>& on_packet);

    std::vector<std::unique_ptr<Handle>> handles_;
    std::vector<Pending> pending_;
};

}  // namespace natlab
