// Which steps wait for which, and the runner that applies them on threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/lifecycle/loaded_lab.hpp"
#include "core/lifecycle/step_runner.hpp"
#include "core/plan/step_order.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

Plan two_nat() {
    return load_lab_file(test::source_path("labs/two-nat.yaml")).plan;
}

// N NATs with a host behind each, all on one router (scripts/gen-lab's shape).
Plan many_nats(int n) {
    std::string text = "name: many\nnodes:\n  internet: {kind: router}\n";
    std::string links = "links:\n";
    for (int i = 1; i <= n; ++i) {
        std::string k = std::to_string(i);
        text += "  nat" + k + ": {kind: nat, outside: wan, routes: {default: internet}}\n";
        text += "  h" + k + ": {routes: {default: nat" + k + "}}\n";
        links +=
            "  - {endpoints: [nat" + k + ":lan, h" + k + ":eth0], subnet: 10." + k + ".0.0/24}\n";
        links += "  - {endpoints: [internet:n" + k + ", nat" + k + ":wan], subnet: 100.64." + k +
                 ".0/24}\n";
    }
    return load_lab_text(text + links, "many.yaml").plan;
}

std::size_t index_of(const Plan& plan, const std::string& description) {
    for (std::size_t i = 0; i < plan.steps.size(); ++i)
        if (describe(plan.steps[i]) == description) return i;
    throw std::runtime_error("no step " + description);
}

// Per namespace, the descriptions of its steps in the order given.
std::map<std::string, std::vector<std::string>> by_namespace(const std::vector<Step>& steps) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& step : steps)
        for (const auto& netns : namespaces_touched(step)) out[netns].push_back(describe(step));
    return out;
}

}  // namespace

TEST(StepOrder, VethWaitsForTheLatestStepOfBothItsNamespaces) {
    Plan plan = two_nat();
    auto prerequisites = step_prerequisites(plan.steps);
    std::size_t veth = index_of(plan, "creating veth pair internet:to-nat1 <-> nat1:wan");
    // internet's latest step is its other veth, nat1's is its LAN veth.
    EXPECT_EQ(prerequisites[veth],
              (std::vector<std::size_t>{
                  index_of(plan, "creating veth pair nat1:lan <-> c1:eth0"),
                  index_of(plan, "creating veth pair internet:to-nat0 <-> nat0:wan")}));
    // A namespace's first step waits for nothing.
    EXPECT_TRUE(prerequisites[index_of(plan, "creating namespace two-nat-c0")].empty());
}

TEST(StepOrder, EveryStepWaitsForTheStepBeforeItOnEachOfItsNamespaces) {
    Plan plan = many_nats(3);
    auto prerequisites = step_prerequisites(plan.steps);
    std::map<std::string, std::size_t> previous;
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        std::set<std::size_t> expected;
        for (const auto& netns : namespaces_touched(plan.steps[i])) {
            if (previous.count(netns)) expected.insert(previous[netns]);
            previous[netns] = i;
        }
        EXPECT_EQ(prerequisites[i], std::vector<std::size_t>(expected.begin(), expected.end()))
            << describe(plan.steps[i]);
    }
}

TEST(StepOrder, ChainLengthCountsTheLongestRunOfWaitingSteps) {
    // 0 <- 1 <- 3, and 0 <- 2: step 0 heads a chain of three.
    std::vector<std::vector<std::size_t>> prerequisites{{}, {0}, {0}, {1}, {}};
    EXPECT_EQ(chain_lengths(prerequisites), (std::vector<std::size_t>{3, 2, 1, 1, 1}));
}

TEST(RunSteps, OneThreadStartsTheLongestChainFirstAndGoesOnWithIt) {
    // b's one step comes first in the plan, but a's three steps form the
    // longer chain: a second thread would have b to do while a goes on. The
    // thread stays with a (its namespace open) until a's chain is done.
    std::vector<Step> steps{SetLinkUp{"b", "b", "eth0"}, SetLinkUp{"a", "a", "eth0"},
                            SetLinkUp{"a", "a", "eth1"}, SetLinkUp{"a", "a", "eth2"}};
    std::vector<std::string> applied;
    auto apply = [&](const Step& s) {
        applied.push_back(std::get<SetLinkUp>(s).ifname + "@" + std::get<SetLinkUp>(s).netns);
    };
    EXPECT_EQ(run_steps(steps, 1, apply), "");
    EXPECT_EQ(applied, (std::vector<std::string>{"eth0@a", "eth1@a", "eth2@a", "eth0@b"}));
}

TEST(RunSteps, OneThreadAppliesEveryStepOfALab) {
    Plan plan = many_nats(5);
    std::vector<Step> applied;
    EXPECT_EQ(run_steps(plan.steps, 1, [&](const Step& s) { applied.push_back(s); }), "");
    EXPECT_EQ(applied.size(), plan.steps.size());
    EXPECT_EQ(by_namespace(applied), by_namespace(plan.steps));
}

TEST(RunSteps, TwoThreadsOverlapYetKeepEachNamespacesOrder) {
    Plan plan = many_nats(20);
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Step> applied;
    std::multiset<std::string> busy;  // namespaces of the steps in flight
    std::size_t in_flight = 0, most_in_flight = 0;
    bool overlap_seen = false, namespace_shared = false;
    auto apply = [&](const Step& step) {
        std::unique_lock lock(mutex);
        for (const auto& netns : namespaces_touched(step)) {
            if (busy.count(netns)) namespace_shared = true;
            busy.insert(netns);
        }
        most_in_flight = std::max(most_in_flight, ++in_flight);
        // The first steps wait until a second one runs beside them: with a
        // runner that applied one step at a time this would time out.
        if (!overlap_seen) {
            overlap_seen = changed.wait_for(lock, std::chrono::seconds(5),
                                            [&] { return in_flight >= 2 || overlap_seen; });
            changed.notify_all();
        }
        applied.push_back(step);
        for (const auto& netns : namespaces_touched(step)) busy.erase(busy.find(netns));
        --in_flight;
    };
    EXPECT_EQ(run_steps(plan.steps, 2, apply), "");
    EXPECT_TRUE(overlap_seen);
    EXPECT_EQ(most_in_flight, 2u);
    EXPECT_FALSE(namespace_shared) << "two steps on one namespace ran at once";
    EXPECT_EQ(applied.size(), plan.steps.size());
    EXPECT_EQ(by_namespace(applied), by_namespace(plan.steps));
}

TEST(RunSteps, AFailureStartsNothingNewAndWaitsForStepsRunning) {
    Plan plan = many_nats(5);
    std::mutex mutex;
    std::vector<std::string> finished;
    std::size_t started = 0;
    auto apply = [&](const Step& step) {
        std::size_t n;
        {
            std::lock_guard lock(mutex);
            n = ++started;
        }
        if (n == 4) throw std::runtime_error(describe(step) + ": Operation not permitted");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::lock_guard lock(mutex);
        finished.push_back(describe(step));
    };
    std::string failure = run_steps(plan.steps, 2, apply);
    EXPECT_NE(failure.find(": Operation not permitted"), std::string::npos) << failure;
    // The fourth step failed: the run ended there, long before the lab's
    // ~60 steps (the bound leaves room for a thread descheduled for a while).
    EXPECT_LT(started, 10u);
    EXPECT_EQ(finished.size() + 1, started) << "a step started but did not finish";
}

TEST(RunSteps, StopFlagEndsTheRunBeforeTheNextStep) {
    Plan plan = two_nat();
    std::atomic<bool> stop{false};
    std::vector<std::string> applied;
    auto apply = [&](const Step& step) {
        applied.push_back(describe(step));
        if (applied.size() == 2) stop = true;
    };
    std::string failure = run_steps(plan.steps, 1, apply, &stop);
    ASSERT_EQ(failure.rfind("interrupted before ", 0), 0u) << failure;
    std::string next = failure.substr(std::string("interrupted before ").size());
    EXPECT_EQ(applied.size(), 2u);
    EXPECT_EQ(std::count(applied.begin(), applied.end(), next), 0) << "it was applied anyway";
}
