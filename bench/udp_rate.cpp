// udp_rate: the benchmark's packet pump. One UDP flow, as fast as the kernel
// takes it, for a fixed time; the receiver counts what arrived. An ADDRESS
// with a ':' is IPv6.
//   udp_rate send ADDRESS PORT SECONDS     prints datagrams sent
//   udp_rate recv PORT SECONDS [ADDRESS]   prints datagrams received on
//       ADDRESS (default 0.0.0.0; :: for IPv6)
//   udp_rate alternate ADDRESS PORT SECONDS SLICE_MS NETNS...
//       one flow from each named namespace, in turns of SLICE_MS; prints
//       "NETNS datagrams-per-second" for each. A packet's whole way through
//       veths and NATs runs on the sending CPU, so what one flow sends per
//       second of its turns is the rate of its path; turns of a few ms let
//       the VM's drift (tens of per cent within a minute here) hit every
//       path alike, where separate runs compared noise.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBatch = 64;
constexpr int kPayload = 64;

// An IPv4 or IPv6 socket address and its length.
struct Address {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family() const { return storage.ss_family; }
    sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

int udp_socket(int family) {
    int fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        std::perror("socket");
        std::exit(1);
    }
    return fd;
}

Address address(const char* ip, int port) {
    Address a;
    const auto net_port = htons(static_cast<std::uint16_t>(port));
    int parsed = 0;
    if (std::strchr(ip, ':')) {
        auto* sa = reinterpret_cast<sockaddr_in6*>(&a.storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = net_port;
        parsed = ::inet_pton(AF_INET6, ip, &sa->sin6_addr);
        a.length = sizeof(sockaddr_in6);
    } else {
        auto* sa = reinterpret_cast<sockaddr_in*>(&a.storage);
        sa->sin_family = AF_INET;
        sa->sin_port = net_port;
        parsed = ::inet_pton(AF_INET, ip, &sa->sin_addr);
        a.length = sizeof(sockaddr_in);
    }
    if (parsed != 1) {
        std::fprintf(stderr, "udp_rate: bad address %s\n", ip);
        std::exit(2);
    }
    return a;
}

Clock::time_point after(double seconds) {
    return Clock::now() +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

int connected_socket(const char* ip, int port) {
    Address to = address(ip, port);
    int fd = udp_socket(to.family());
    if (::connect(fd, to.get(), to.length) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    return fd;
}

// Batches of datagrams, sent until `end`; returns how many went.
class Pump {
  public:
    Pump() {
        for (int i = 0; i < kBatch; ++i) {
            iov_[i] = {payload_.data(), payload_.size()};
            msgs_[i].msg_hdr.msg_iov = &iov_[i];
            msgs_[i].msg_hdr.msg_iovlen = 1;
        }
    }
    long until(int fd, Clock::time_point end) {
        long sent = 0;
        while (Clock::now() < end) {
            int n = ::sendmmsg(fd, msgs_.data(), kBatch, 0);
            if (n > 0) sent += n;  // a full queue (ENOBUFS) just means: try again
        }
        return sent;
    }

  private:
    std::array<char, kPayload> payload_{};
    std::array<iovec, kBatch> iov_{};
    std::array<mmsghdr, kBatch> msgs_{};
};

long send_for(const char* ip, int port, double seconds) {
    int fd = connected_socket(ip, port);
    long sent = Pump().until(fd, after(seconds));
    ::close(fd);
    return sent;
}

// A socket made inside /run/netns/NAME keeps that namespace.
int socket_in(const std::string& netns, const char* ip, int port) {
    int home = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int ns = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (home < 0 || ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) {
        std::perror(netns.c_str());
        std::exit(1);
    }
    int fd = connected_socket(ip, port);
    ::setns(home, CLONE_NEWNET);
    ::close(ns);
    ::close(home);
    return fd;
}

void alternate(const char* ip, int port, double seconds, int slice_ms, char** names, int count) {
    struct Path {
        std::string netns;
        int fd;
        long sent = 0;
        double busy_s = 0;
    };
    std::vector<Path> paths;
    for (int i = 0; i < count; ++i) paths.push_back({names[i], socket_in(names[i], ip, port)});
    Pump pump;
    auto end = after(seconds);
    while (Clock::now() < end) {
        for (auto& p : paths) {
            auto start = Clock::now();
            p.sent += pump.until(p.fd, start + std::chrono::milliseconds(slice_ms));
            p.busy_s += std::chrono::duration<double>(Clock::now() - start).count();
        }
    }
    for (auto& p : paths) {
        std::printf("%s %.0f\n", p.netns.c_str(), static_cast<double>(p.sent) / p.busy_s);
        ::close(p.fd);
    }
}

long receive_for(int port, double seconds, const char* ip) {
    Address any = address(ip, port);
    int fd = udp_socket(any.family());
    int big = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (::bind(fd, any.get(), any.length) != 0) {
        std::perror("bind");
        std::exit(1);
    }
    timeval tick{0, 100'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    std::array<std::array<char, 2048>, kBatch> buffers{};
    std::array<iovec, kBatch> iov{};
    std::array<mmsghdr, kBatch> msgs{};
    for (int i = 0; i < kBatch; ++i) {
        iov[i] = {buffers[i].data(), buffers[i].size()};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    std::puts("ready");
    std::fflush(stdout);
    long received = 0;
    auto end = after(seconds);
    while (Clock::now() < end) {
        int n = ::recvmmsg(fd, msgs.data(), kBatch, 0, nullptr);
        if (n > 0) received += n;
    }
    ::close(fd);
    return received;
}

}  // namespace

int main(int argc, char** argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "send" && argc == 5) {
        std::printf("%ld\n", send_for(argv[2], std::atoi(argv[3]), std::atof(argv[4])));
    } else if (mode == "recv" && (argc == 4 || argc == 5)) {
        std::printf("%ld\n", receive_for(std::atoi(argv[2]), std::atof(argv[3]),
                                         argc == 5 ? argv[4] : "0.0.0.0"));
    } else if (mode == "alternate" && argc >= 7) {
        alternate(argv[2], std::atoi(argv[3]), std::atof(argv[4]), std::atoi(argv[5]), argv + 6,
                  argc - 6);
    } else {
        std::fprintf(
            stderr,
            "usage: udp_rate send ADDRESS PORT SECONDS | udp_rate recv PORT SECONDS [ADDRESS] | "
            "udp_rate alternate ADDRESS PORT SECONDS SLICE_MS NETNS...\n");
        return 2;
    }
    return 0;
}
