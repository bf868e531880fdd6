#pragma once
// One lab as natlab serve follows it: the conntrack events of every NAT node
// (read by one thread polling all their sockets), kept in flow tables and
// passed to every open page as JSON, with the NATs' refused flows and a
// word when the lab itself changed (a link, a NAT's keys).
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/serve/event_queue.hpp"

namespace natlab {

class LabMonitor {
  public:
    // Throws InvalidInput when there is no such lab.
    explicit LabMonitor(const std::string& lab);
    ~LabMonitor();
    LabMonitor(const LabMonitor&) = delete;
    LabMonitor& operator=(const LabMonitor&) = delete;

    const std::string& name() const { return name_; }

    // The page's whole view now: the lab's nodes and links, each NAT's
    // mappings from the flows seen so far, port usage and leases.
    nlohmann::json view();
    // Who talked with whom (natlab traffic), from the NATs' tables now.
    nlohmann::json traffic();

    // A queue of the events to come, for one page; it is dropped when the
    // page's stream ends.
    std::shared_ptr<EventQueue> subscribe();

    // Events passed on so far, and those the kernel dropped (came faster
    // than read): for the page's counters and the benchmark.
    std::uint64_t events_seen() const { return seen_; }

  private:
    struct Watched;
    void follow();
    void publish(const nlohmann::json& event);
    void reload_if_changed();
    void poll_refusals();

    std::string name_;
    // The lab as loaded last, with its address book: replaced whole when the
    // lab changes, so a view works on its own copy without the lock.
    struct Snapshot {
        LoadedLab loaded;
        std::map<IpAddress, std::string> names;
    };
    std::shared_ptr<const Snapshot> snapshot() const;

    mutable std::mutex mutex_;  // guards snapshot_, watched_'s tables and subscribers_
    std::shared_ptr<const Snapshot> snapshot_;
    long long state_stamp_ = 0;
    std::vector<std::unique_ptr<Watched>> watched_;
    std::vector<std::weak_ptr<EventQueue>> subscribers_;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> seen_{0};
    std::thread thread_;
};

}  // namespace natlab
