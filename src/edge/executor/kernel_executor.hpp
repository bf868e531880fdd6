#pragma once
// The real Executor: netlink, procfs and libnftables, one socket per namespace.
// Each step enters its namespaces on the calling thread only (setns is
// per-thread), so steps on different namespaces can run on different threads.
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/lifecycle/executor.hpp"
#include "edge/kernel/netlink.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

class KernelExecutor : public Executor {
  public:
    KernelExecutor();
    void apply(const Step& step) override;
    void remove_netns(const std::string& netns) override;

  private:
    struct Namespace {
        UniqueFd fd;
        RouteSocket route;
    };
    using Handle = std::shared_ptr<Namespace>;
    using Recent = std::list<std::pair<std::string, Handle>>;  // least recently used first

    // The namespaces open now, at most capacity_ of them: a lab of any size
    // holds a bounded number of descriptors, all far below 1024, which
    // libnftables needs (it hands its socket to select()). A step in flight
    // keeps its namespace's handle, so closing one never pulls it from under it.
    std::size_t capacity_;
    Recent recent_;
    std::map<std::string, Recent::iterator> open_;
    // Made by this executor and no table loaded since: nothing to replace.
    std::set<std::string> without_rules_;
    // Port-mapping daemons this executor started, by namespace.
    std::map<std::string, std::vector<pid_t>> daemons_;
    std::mutex mutex_;  // guards the containers above, not the namespaces

    Handle enter(const std::string& netns);
    void keep(const std::string& netns, Handle ns);
    bool take_without_rules(const std::string& netns);
    friend struct StepApplier;
};

}  // namespace natlab
