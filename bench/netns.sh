#!/bin/sh
# The two-NAT lab (labs/two-nat.yaml) the way NAT tutorials build it by hand:
# ip for namespaces, links, addresses and routes, sysctl for forwarding and
# iptables for the masquerade, each command a process of its own. The
# benchmark's baseline for natlab's two-NAT create+clean (scripts/bench).
#   sh bench/netns.sh up|down [PREFIX]
set -e
p=${2:-netns-sh}

inside() { ns=$1; shift; ip netns exec "$p-$ns" "$@"; }

nat() {  # NAT lan-address wan-address
  inside "$1" ip addr add "$2" dev lan
  inside "$1" ip addr add "$3" dev wan
  inside "$1" ip link set lan up
  inside "$1" ip link set wan up
  inside "$1" sysctl -qw net.ipv4.ip_forward=1
  inside "$1" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
}

host() {  # HOST address gateway
  inside "$1" ip addr add "$2" dev eth0
  inside "$1" ip link set eth0 up
  inside "$1" ip route add default via "$3"
}

up() {
  for ns in c0 c1 nat0 nat1 internet; do
    ip netns add "$p-$ns"
    inside "$ns" ip link set lo up
  done
  ip link add lan netns "$p-nat0" type veth peer name eth0 netns "$p-c0"
  ip link add lan netns "$p-nat1" type veth peer name eth0 netns "$p-c1"
  ip link add to-nat0 netns "$p-internet" type veth peer name wan netns "$p-nat0"
  ip link add to-nat1 netns "$p-internet" type veth peer name wan netns "$p-nat1"
  nat nat0 10.0.1.1/24 100.64.1.100/24
  nat nat1 10.0.2.1/24 100.64.2.100/24
  inside nat0 ip route add default via 100.64.1.1
  inside nat1 ip route add default via 100.64.2.1
  host c0 10.0.1.2/24 10.0.1.1
  host c1 10.0.2.2/24 10.0.2.1
  inside internet ip addr add 100.64.1.1/24 dev to-nat0
  inside internet ip addr add 100.64.2.1/24 dev to-nat1
  inside internet ip link set to-nat0 up
  inside internet ip link set to-nat1 up
  inside internet sysctl -qw net.ipv4.ip_forward=1
}

down() {
  for ns in c0 c1 nat0 nat1 internet; do ip netns del "$p-$ns" 2>/dev/null || true; done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: sh bench/netns.sh up|down [PREFIX]" >&2; exit 2 ;;
esac
