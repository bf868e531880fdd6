#include "core/nat/port_blocks.hpp"

namespace natlab {
namespace {

// The largest number of subscribers a NAT's rules list (one map element each).
constexpr std::uint64_t kMostSubscribers = 65536;

std::uint64_t hosts_of(const Cidr& net) {
    int host_bits = 32 - net.prefix;
    if (host_bits <= 1) return host_bits == 1 ? 2 : 1;
    return (std::uint64_t{1} << host_bits) - 2;
}

std::uint64_t subscriber_count(const NatNode& nat) {
    std::uint64_t n = 0;
    for (const auto& net : nat.inside_networks) n += hosts_of(net);
    return n;
}

std::vector<IpAddress> external_addresses(const NatNode& nat) {
    return nat.behaviour.pool.empty() ? std::vector{nat.external_address} : nat.behaviour.pool;
}

int blocks_per_address(const NatNode& nat) {
    PortRange r = nat.behaviour.allocation_range();
    return (r.last - r.first + 1) / nat.behaviour.port_block;
}

std::string on_addresses(const NatNode& nat) {
    const std::size_t n = external_addresses(nat).size();
    return n == 1 ? " on its external address"
                  : " on each of " + std::to_string(n) + " external addresses";
}

}  // namespace

std::optional<std::string> port_blocks_problem(const NatNode& nat) {
    const NatBehaviour& b = nat.behaviour;
    if (b.port_block == 0) return std::nullopt;
    const std::uint64_t subscribers = subscriber_count(nat);
    const std::uint64_t blocks =
        std::uint64_t(blocks_per_address(nat)) * external_addresses(nat).size();
    PortRange r = b.allocation_range();
    if (subscribers > kMostSubscribers)
        return "its inside networks hold " + std::to_string(subscribers) +
               " addresses, more than the " + std::to_string(kMostSubscribers) +
               " subscribers port blocks are given to; use smaller inside subnets";
    if (subscribers <= blocks) return std::nullopt;
    return "port-block " + std::to_string(b.port_block) + " gives " + std::to_string(blocks) +
           " blocks (" + std::to_string(blocks_per_address(nat)) + " of ports " +
           std::to_string(r.first) + "-" + std::to_string(r.last) + on_addresses(nat) +
           ") for the " + std::to_string(subscribers) +
           " addresses of its inside networks; use a smaller port-block, a larger pool or a "
           "smaller inside subnet";
}

std::vector<PortBlock> port_blocks(const NatNode& nat) {
    std::vector<PortBlock> out;
    if (nat.behaviour.port_block == 0 || port_blocks_problem(nat)) return out;
    const std::vector<IpAddress> external = external_addresses(nat);
    const int per_address = blocks_per_address(nat), size = nat.behaviour.port_block;
    const int first = nat.behaviour.allocation_range().first;
    std::uint64_t index = 0;
    for (const auto& net : nat.inside_networks) {
        const std::uint64_t hosts = hosts_of(net);
        for (std::uint64_t h = 0; h < hosts; ++h, ++index) {
            auto host = net.host(h + 1);  // the first usable address is host 1
            if (!host) break;
            const int block = static_cast<int>(index % per_address);
            out.push_back({host->address,
                           external[index / per_address],
                           {first + block * size, first + (block + 1) * size - 1}});
        }
    }
    return out;
}

}  // namespace natlab
