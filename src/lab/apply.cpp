#include "lab/apply.hpp"

#include <vector>

namespace natlab {
namespace {

class Applier {
  public:
    Applier(Executor& executor, ContainerRuntime& runtime, Journal& journal)
        : executor_(executor), runtime_(runtime), journal_(journal) {}

    void apply(const Step& step) {
        if (auto* netns = std::get_if<CreateNetns>(&step)) {
            journal_.record_netns(netns->netns);
            made_.push_back(netns->netns);
        }
        if (auto* container = std::get_if<StartContainer>(&step)) {
            journal_.record_container(runtime_.start(*container));
            return;
        }
        executor_.apply(step);
    }

    void wait_for_containers(const std::atomic<bool>* stop) {
        // Written down at once: a crash while others still boot keeps them known.
        runtime_.wait_ready(stop, [this](const std::string& node, const ProcessRecord& leader) {
            journal_.record_leader(node, leader);
        });
    }

    // Containers first: a namespace lives on while a process is inside it.
    std::string roll_back() {
        std::string leftovers;
        try {
            runtime_.stop_all();
        } catch (const std::exception& e) {
            leftovers += "\n  could not stop the containers: " + std::string(e.what());
        }
        for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
            try {
                executor_.remove_netns(*it);
            } catch (const std::exception& e) {
                leftovers += "\n  could not remove " + *it + ": " + e.what();
            }
        }
        return leftovers;
    }

  private:
    Executor& executor_;
    ContainerRuntime& runtime_;
    Journal& journal_;
    std::vector<std::string> made_;
};

}  // namespace

void apply_plan(const Plan& plan, Executor& executor, ContainerRuntime& runtime, Journal& journal,
                const std::atomic<bool>* stop) {
    Applier applier(executor, runtime, journal);
    std::string failure;
    try {
        for (const auto& step : plan.steps) {
            if (stop && stop->load()) {
                failure = "interrupted before " + describe(step);
                break;
            }
            applier.apply(step);
        }
        if (failure.empty()) {
            applier.wait_for_containers(stop);
            return;
        }
    } catch (const std::exception& e) {
        failure = e.what();
    }
    std::string leftovers = applier.roll_back();
    std::string message = failure + "\nnothing of lab " + plan.lab + " was left behind";
    if (!leftovers.empty()) {
        message = failure + "\nrolling back left these behind:" + leftovers +
                  "\nrun 'natlab clean " + plan.lab + "' to retry";
    }
    throw ApplyError(message);
}

}  // namespace natlab
