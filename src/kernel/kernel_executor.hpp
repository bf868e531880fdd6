#pragma once
// The real Executor: netlink, procfs and libnftables, one socket per namespace.
#include <map>
#include <string>

#include "kernel/fd.hpp"
#include "kernel/netlink.hpp"
#include "lab/executor.hpp"

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
    };
    std::map<std::string, Namespace> namespaces_;

    Namespace& enter(const std::string& netns);
    friend struct StepApplier;
};

}  // namespace natlab
