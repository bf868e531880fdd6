#!/usr/bin/env bash
# NAT64 against plain IPv4 NAT through the same node, in one run: an
# IPv6-only phone and an IPv4 host behind one NAT node, a server beyond it.
# TCP throughput (iperf3), UDP packets per second as the server receives
# them (tayga works in userspace: what the phone sends past the TUN queue's
# 500 packets is dropped there, so the send rate would say nothing), and the
# time until a lab is usable (create, then the first answered ping) with
# NAT64 and without. Prints figures and ratios, never pass/fail.
#   bench/nat64.sh NATLAB UDP_RATE [ROUNDS]
set -euo pipefail
export LC_ALL=C
natlab=$1 udp_rate=$2 rounds=${3:-5}
work=$(mktemp -d)
lab=n64-bench
trap '"$natlab" clean -q "$lab" "$lab-4" || true; rm -rf "$work"' EXIT
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

lab_text() {  # NAME [nat64 line]
  cat <<YAML
name: $1
nodes:
  phone: {kind: host, routes: {default: carrier}}
  pc: {kind: host, routes: {default: carrier}}
  carrier:
    kind: nat
    outside: wan
    routes: {default: internet}
$2
  internet: {kind: router}
  server: {kind: host, routes: {default: internet}}
links:
  - {endpoints: [carrier:ran, phone:eth0], subnet: "2001:db8:1:1::/64"}
  - {endpoints: [carrier:lan, pc:eth0], subnet: 10.0.1.0/24}
  - {endpoints: [internet:to-carrier, carrier:wan], subnet: 100.64.1.0/24}
  - {endpoints: [internet:srv, server:eth0], subnet: 203.0.113.0/24}
YAML
}
lab_text "$lab" '    nat64: {prefix: "2001:db8:64::/96"}' > "$work/nat64.yaml"
lab_text "$lab-4" '' > "$work/plain.yaml"
v6=2001:db8:64::203.0.113.2 v4=203.0.113.2

# Time until usable: create returns, then the first ping through the NAT is
# answered (tayga hands out the phone's pool address on its first packet).
usable_once() {  # FILE NAME NODE ADDRESS -> "create_us usable_us"
  local t0 t1 t2
  t0=${EPOCHREALTIME/./}
  "$natlab" create -q "$1"
  t1=${EPOCHREALTIME/./}
  until ip netns exec "$2-$3" ping -c 1 -W 1 -i 0.002 "$4" >/dev/null 2>&1; do :; done
  t2=${EPOCHREALTIME/./}
  "$natlab" clean -q "$2"
  echo "$((t1 - t0)) $((t2 - t0))"
}
for ((i = 0; i < rounds; i++)); do
  usable_once "$work/nat64.yaml" "$lab" phone "$v6" >> "$work/usable64"
  usable_once "$work/plain.yaml" "$lab-4" pc "$v4" >> "$work/usable4"
done
c64=$(cut -d' ' -f1 < "$work/usable64" | median) u64=$(cut -d' ' -f2 < "$work/usable64" | median)
c4=$(cut -d' ' -f1 < "$work/usable4" | median) u4=$(cut -d' ' -f2 < "$work/usable4" | median)
printf '%-34s create %.1f ms, usable %.1f ms with NAT64; %.1f / %.1f ms without (%sx, %sx)  (medians of %d)\n' \
  "time until usable, NAT64" "$(echo "$c64/1000" | bc -l)" "$(echo "$u64/1000" | bc -l)" \
  "$(echo "$c4/1000" | bc -l)" "$(echo "$u4/1000" | bc -l)" "$(ratio "$c64" "$c4")" "$(ratio "$u64" "$u4")" "$rounds"

"$natlab" create -q "$work/nat64.yaml"
ip netns exec "$lab-phone" ping -c 1 -W 2 "$v6" >/dev/null  # the phone's pool address
# TCP: the phone and the pc in turns, 3 s each.
ip netns exec "$lab-server" iperf3 -s -D -I "$work/iperf.pid" >/dev/null
sleep 0.3
for ((i = 0; i < rounds; i++)); do
  ip netns exec "$lab-phone" iperf3 -c "$v6" -t 3 -J | jq '.end.sum_received.bits_per_second' >> "$work/tcp64"
  ip netns exec "$lab-pc" iperf3 -c "$v4" -t 3 -J | jq '.end.sum_received.bits_per_second' >> "$work/tcp4"
done
kill "$(cat "$work/iperf.pid")" 2>/dev/null || true
t64=$(median < "$work/tcp64") t4=$(median < "$work/tcp4")
printf '%-34s NAT64 %.0f Mbit/s, IPv4 NAT %.0f Mbit/s: %sx  (iperf3, medians of %d runs of 3 s)\n' \
  "TCP throughput through NAT64" "$(echo "$t64/1000000" | bc -l)" "$(echo "$t4/1000000" | bc -l)" \
  "$(ratio "$t64" "$t4")" "$rounds"

# UDP packets per second that reach the server: 64-byte datagrams, 2 s each.
pps_once() {  # NODE ADDRESS -> received per second
  ip netns exec "$lab-server" "$udp_rate" recv 9000 3 > "$work/rx" &
  local receiver=$!
  while [ ! -s "$work/rx" ]; do sleep 0.01; done  # "ready"
  ip netns exec "$lab-$1" "$udp_rate" send "$2" 9000 2 > /dev/null
  wait "$receiver"
  tail -n 1 "$work/rx" | awk '{print $1 / 2}'
}
for ((i = 0; i < rounds; i++)); do
  pps_once phone "$v6" >> "$work/pps64"
  pps_once pc "$v4" >> "$work/pps4"
done
p64=$(median < "$work/pps64") p4=$(median < "$work/pps4")
printf '%-34s NAT64 %.0f/s, IPv4 NAT %.0f/s: %sx  (received, medians of %d runs of 2 s)\n' \
  "UDP packets through NAT64" "$p64" "$p4" "$(ratio "$p64" "$p4")" "$rounds"
