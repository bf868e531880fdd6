// udp_rate: the benchmark's packet pump. One UDP flow, as fast as the kernel
// takes it, for a fixed time; the receiver counts what arrived.
//   udp_rate send ADDRESS PORT SECONDS     prints datagrams sent
//   udp_rate recv PORT SECONDS             prints datagrams received
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBatch = 64;
constexpr int kPayload = 64;

int udp_socket() {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        std::perror("socket");
        std::exit(1);
    }
    return fd;
}

sockaddr_in address(const char* ip, int port) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, ip, &sa.sin_addr) != 1) {
        std::fprintf(stderr, "udp_rate: bad address %s\n", ip);
        std::exit(2);
    }
    return sa;
}

long send_for(const char* ip, int port, double seconds) {
    int fd = udp_socket();
    sockaddr_in to = address(ip, port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    std::array<char, kPayload> payload{};
    std::array<iovec, kBatch> iov{};
    std::array<mmsghdr, kBatch> msgs{};
    for (int i = 0; i < kBatch; ++i) {
        iov[i] = {payload.data(), payload.size()};
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    long sent = 0;
    auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < end) {
        int n = ::sendmmsg(fd, msgs.data(), kBatch, 0);
        if (n > 0) sent += n;  // a full queue (ENOBUFS) just means: try again
    }
    ::close(fd);
    return sent;
}

long receive_for(int port, double seconds) {
    int fd = udp_socket();
    int big = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    sockaddr_in any = address("0.0.0.0", port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0) {
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
    auto end = Clock::now() + std::chrono::duration<double>(seconds);
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
    } else if (mode == "recv" && argc == 4) {
        std::printf("%ld\n", receive_for(std::atoi(argv[2]), std::atof(argv[3])));
    } else {
        std::fprintf(stderr,
                     "usage: udp_rate send ADDRESS PORT SECONDS | udp_rate recv PORT SECONDS\n");
        return 2;
    }
    return 0;
}
