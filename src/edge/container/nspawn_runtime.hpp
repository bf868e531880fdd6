#pragma once
// The real ContainerRuntime: one systemd-nspawn per container, started in the
// background in a session of its own, output to its log, readiness and the
// leader's pid reported over the sd_notify protocol to the lab's socket.
#include <string>
#include <vector>

#include "core/lifecycle/executor.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

class NspawnRuntime : public ContainerRuntime {
  public:
    explicit NspawnRuntime(std::string lab);
    ~NspawnRuntime() override;

    ContainerRecord start(const StartContainer& step) override;
    void wait_ready(const std::atomic<bool>* stop, const LeaderCallback& on_leader) override;
    void stop_all() override;

  private:
    struct Started {
        StartContainer step;
        ContainerRecord record;
        bool ready = false;
        bool leader_reported = false;
    };
    std::string lab_;
    UniqueFd notify_;  // opened on the first start
    std::vector<Started> started_;

    void open_notify_socket();
    bool receive_notification();
    void check_exited(Started& s);
};

// True where systemd runs as PID 1 (sd_booted(3)): containers are then
// registered with systemd-machined, so 'machinectl list' shows them.
bool systemd_is_init();

}  // namespace natlab
