#include "lab/apply.hpp"

#include <vector>

namespace natlab {
namespace {

std::string roll_back(Executor& executor, const std::vector<std::string>& made) {
    std::string leftovers;
    for (auto it = made.rbegin(); it != made.rend(); ++it) {
        try {
            executor.remove_netns(*it);
        } catch (const std::exception& e) {
            leftovers += "\n  could not remove " + *it + ": " + e.what();
        }
    }
    return leftovers;
}

}  // namespace

void apply_plan(const Plan& plan, Executor& executor, Journal& journal,
                const std::atomic<bool>* stop) {
    std::vector<std::string> made;
    for (const auto& step : plan.steps) {
        std::string failure;
        if (stop && stop->load()) {
            failure = "interrupted before " + describe(step);
        } else {
            try {
                if (auto* netns = std::get_if<CreateNetns>(&step)) {
                    journal.record_netns(netns->netns);
                    made.push_back(netns->netns);
                }
                executor.apply(step);
                continue;
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
        std::string leftovers = roll_back(executor, made);
        std::string message = failure + "\nnothing of lab " + plan.lab + " was left behind";
        if (!leftovers.empty()) {
            message = failure + "\nrolling back left these behind:" + leftovers +
                      "\nrun 'natlab clean " + plan.lab + "' to retry";
        }
        throw ApplyError(message);
    }
}

}  // namespace natlab
