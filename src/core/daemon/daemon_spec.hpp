#pragma once
// A network service of a lab as one process: what runs, in which node's
// namespace, with which files, and when it counts as started. Every service
// natlab starts beside the kernel's state (a DNS server, a DHCP server or
// client, router advertisements, a NAT64 translator) is one of these; the
// executor starts them all the same way (edge/daemons/daemon).
#include <string>
#include <utility>
#include <vector>

namespace natlab {

// When a started daemon is ready: the executor waits for this (10 s at
// most) before the lab counts as created.
struct DaemonReady {
    enum class Kind { started, udp_port, tcp_port, file, interface };
    Kind kind = Kind::started;
    int port = 0;      // udp_port, tcp_port: bound in the namespace
    std::string path;  // file: exists and is not empty
    // interface: a network interface of this name exists in the daemon's
    // namespace (one it makes itself, such as a TUN device)
    std::string interface;
    bool operator==(const DaemonReady&) const = default;
};

// Stands for the natlab binary in a daemon's files (a hook that calls natlab
// back): the executor writes its own path there, the shell script 'natlab'.
inline constexpr const char* kNatlabProgram = "@natlab@";

struct DaemonSpec {
    std::string service;  // what it is, in messages and status: "DNS server"
    std::string package;  // the Debian package that has argv[0]
    std::vector<std::string> argv;
    // Written before it starts (parent directories made): path, content.
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> executables;  // those of `files` a program runs (mode 0755)
    std::string log;                       // its standard output and error, appended
    DaemonReady ready;
    bool operator==(const DaemonSpec&) const = default;
};

}  // namespace natlab
