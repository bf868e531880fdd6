#include "core/lifecycle/apply.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <span>
#include <vector>

#include "core/lifecycle/step_runner.hpp"

namespace natlab {
namespace {

bool starts_container(const Step& step) {
    return std::holds_alternative<StartContainer>(step);
}

class Applier {
  public:
    Applier(const Plan& plan, Executor& executor, ContainerRuntime& runtime, Journal& journal)
        : plan_(plan), executor_(executor), runtime_(runtime), journal_(journal) {
        // make_plan puts containers last: they start on a finished network.
        auto first = std::find_if(plan.steps.begin(), plan.steps.end(), starts_container);
        if (!std::all_of(first, plan.steps.end(), starts_container))
            throw std::logic_error("a plan's containers must come after its network steps");
        network_ = {plan.steps.data(), static_cast<std::size_t>(first - plan.steps.begin())};
        containers_ = {network_.data() + network_.size(), plan.steps.size() - network_.size()};
    }

    // Every namespace is written down before the first is made: steps run on
    // several threads, and a crash at any point must leave a record that
    // covers whatever exists. Clean-up skips the ones never made.
    std::string build_network(unsigned threads, const std::atomic<bool>* stop) {
        journal_.record_namespaces(plan_.namespaces());
        return run_steps(
            network_, threads,
            [this](const Step& step) {
                executor_.apply(step);
                if (const auto* netns = std::get_if<CreateNetns>(&step)) made(netns->netns);
            },
            stop);
    }

    // Started one by one (each start returns at once), then waited for together.
    std::string start_containers(const std::atomic<bool>* stop) {
        auto start = [this](const Step& step) {
            journal_.record_container(runtime_.start(std::get<StartContainer>(step)));
        };
        if (std::string failure = run_steps(containers_, 1, start, stop); !failure.empty())
            return failure;
        // Written down at once: a crash while others still boot keeps them known.
        runtime_.wait_ready(stop, [this](const std::string& node, const ProcessRecord& leader) {
            journal_.record_leader(node, leader);
        });
        return "";
    }

    // Containers first: a namespace lives on while a process is inside it.
    // Only what this run made goes, newest in plan order first: a namespace
    // whose creation failed (its name taken, say by another lab) is someone
    // else's.
    std::string roll_back() {
        std::string leftovers;
        try {
            runtime_.stop_all();
        } catch (const std::exception& e) {
            leftovers += "\n  could not stop the containers: " + std::string(e.what());
        }
        std::lock_guard lock(made_mutex_);
        auto planned = plan_.namespaces();
        for (auto it = planned.rbegin(); it != planned.rend(); ++it) {
            if (!made_.count(*it)) continue;
            try {
                executor_.remove_netns(*it);
            } catch (const std::exception& e) {
                leftovers += "\n  could not remove " + *it + ": " + e.what();
            }
        }
        return leftovers;
    }

  private:
    const Plan& plan_;
    Executor& executor_;
    ContainerRuntime& runtime_;
    Journal& journal_;
    std::span<const Step> network_, containers_;
    std::set<std::string> made_;  // namespaces this run created
    std::mutex made_mutex_;       // steps finish on several threads

    void made(const std::string& netns) {
        std::lock_guard lock(made_mutex_);
        made_.insert(netns);
    }
};

}  // namespace

void apply_plan(const Plan& plan, Executor& executor, ContainerRuntime& runtime, Journal& journal,
                const ApplyOptions& options) {
    Applier applier(plan, executor, runtime, journal);
    std::string failure;
    try {
        failure = applier.build_network(options.threads, options.stop);
        if (failure.empty()) failure = applier.start_containers(options.stop);
        if (failure.empty()) return;
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
