#pragma once
// The real Executor: netlink, procfs and libnftables, one socket per namespace.
// Each step enters its namespaces on the calling thread only (setns is
// per-thread), so steps on different namespaces can run on different threads.
#include <map>
#include <mutex>
#include <string>

#include "core/lab/executor.hpp"
#include "edge/kernel/fd.hpp"
#include "edge/kernel/netlink.hpp"

namespace natlab {

class KernelExecutor : public Executor {
  public:
    KernelExecutor() { raise_open_file_limit(); }
    void apply(const Step& step) override;
    void remove_netns(const std::string& netns) override;

  private:
    struct Namespace {
        UniqueFd fd;
        RouteSocket route;
        // Made by this executor and no table loaded since: nothing to replace.
        bool without_rules = false;
    };
    std::map<std::string, Namespace> namespaces_;  // node references stay valid on insert
    std::mutex namespaces_mutex_;                  // guards the map, not the namespaces

    Namespace& enter(const std::string& netns);
    Namespace& keep(const std::string& netns, Namespace ns);
    friend struct StepApplier;
};

}  // namespace natlab
