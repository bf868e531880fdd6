#pragma once
// The lab state file: an append-only journal, one record per line, written as
// each object is about to exist, so a crash leaves a usable record.
//
//   natlab-state 2
//   lab two-nat
//   source /home/me/labs/two-nat.yaml          (percent-encoded: no value can start a record)
//   netns two-nat-c0
//   ...
//   container c0 two-nat-c0 4711 123456 run     (nspawn's pid and start time; run|boot)
//   leader c0 4718 123460                        (the container's PID 1)
//   complete
//   condition c0 eth0 delay%2040ms%20loss%201%25  (natlab set: what c0:eth0 sends now)
//   link c0 eth0 down                            (natlab link: c0:eth0 is down / up again)
//   nat nat0 type=symmetric                      (natlab set: NAT keys over the file's)
//   begin 4711 123456 nat nat0 type=symmetric drop   (a change being made: who makes it, and
//                                                     the record that says it is made)
//   abandon                                      (the change begun last was not made)
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natlab {

// A process named by pid and start time (clock ticks since boot, as in
// /proc/PID/stat), so a pid the kernel reused is never mistaken for it.
struct ProcessRecord {
    int pid = 0;
    unsigned long long start_time = 0;
    bool operator==(const ProcessRecord&) const = default;
};

struct ContainerRecord {
    std::string node, machine;
    ProcessRecord nspawn;
    bool boot = false;
    std::optional<ProcessRecord> leader;  // known once the container started
    bool operator==(const ContainerRecord&) const = default;
};

// A change made to the live lab after create, in the order made: one of a
// link end's condition, whether it is up, or a NAT node's keys (ifname "").
struct LiveChange {
    std::string node, ifname;
    std::optional<std::string> condition;  // describe_condition's words; "" = none
    std::optional<bool> up;
    std::optional<std::string> nat;  // nat_settings_words, laid over the ones before
    // A router's or NAT's DHCP keys ("lan.range=A-B lan.lease=2m"), laid over
    // the ones before (core/dhcp/dhcp_settings).
    std::optional<std::string> dhcp;
    bool operator==(const LiveChange&) const = default;
};

// A change begun and not yet journalled as made: its record comes before
// anything in the kernel changes, and the change's own record after, so that
// a natlab killed midway leaves what it was doing for the next to finish.
struct PendingChange {
    LiveChange change;
    bool drop_bindings = false;  // a NAT's: --bindings drop
    ProcessRecord by;            // the natlab making it
    bool operator==(const PendingChange&) const = default;
};

struct LabState {
    std::string lab;
    std::string source;
    std::vector<std::string> namespaces;
    std::vector<ContainerRecord> containers;
    bool complete = false;  // create finished; otherwise it is running or crashed
    std::vector<LiveChange> changes;
    std::optional<PendingChange> pending;  // begun, neither made nor abandoned
    // Records that cannot be this lab's (a namespace of another name, a
    // machine that is not the node's, ...), as read: ignored, and told.
    std::vector<std::string> rejected;

    const ContainerRecord* find_container(const std::string& node) const {
        for (const auto& c : containers)
            if (c.node == node) return &c;
        return nullptr;
    }
};

std::string state_header(const std::string& lab, const std::string& source);
std::string state_netns_record(const std::string& netns);
std::string state_container_record(const ContainerRecord& container);
std::string state_leader_record(const std::string& node, const ProcessRecord& leader);
std::string state_complete_record();
std::string state_change_record(const LiveChange& change);
std::string state_begin_record(const PendingChange& pending);
std::string state_abandon_record();
// The state of lab `lab`; nullopt when the text is not a natlab state file,
// or another lab's. A torn last line is ignored. Every record is checked:
// names must be this lab's, pids real (the edge checks that they are still
// the processes natlab started); what fails goes to `rejected`.
std::optional<LabState> parse_state(const std::string& text, const std::string& lab);

// Percent-encoding of a value inside a record: '%', space, and every control
// byte become %XX, so a value holds neither a newline nor a field separator.
std::string encode_state_value(std::string_view value);
std::string decode_state_value(std::string_view value);

}  // namespace natlab
