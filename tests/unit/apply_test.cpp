// Rollback of a failed create, checked against recording fakes.
#include <gtest/gtest.h>

#include "core/lifecycle/apply.hpp"
#include "core/lifecycle/loaded_lab.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

// Everything the fakes were asked to do, in order.
using Events = std::vector<std::string>;

class RecordingExecutor : public Executor {
  public:
    // Fails the step described as fail_on, or the one after fail_at applied.
    RecordingExecutor(Events& events, std::size_t fail_at = SIZE_MAX, std::string fail_on = "")
        : events_(events), fail_at_(fail_at), fail_on_(std::move(fail_on)) {}
    void apply(const Step& step) override {
        if (applied.size() == fail_at_ || describe(step) == fail_on_)
            throw std::runtime_error(describe(step) + ": File exists");
        applied.push_back(describe(step));
    }
    void remove_netns(const std::string& netns) override {
        removed.push_back(netns);
        events_.push_back("remove " + netns);
    }
    std::vector<std::string> applied, removed;

  private:
    Events& events_;
    std::size_t fail_at_;
    std::string fail_on_;
};

class RecordingRuntime : public ContainerRuntime {
  public:
    RecordingRuntime(Events& events, bool ready = true) : events_(events), ready_(ready) {}
    ContainerRecord start(const StartContainer& step) override {
        events_.push_back("start " + step.machine);
        int pid = 100 + static_cast<int>(started_.size());
        started_.push_back(step.node);
        return {step.node, step.machine, {pid, 1}, step.container.boot, {}};
    }
    void wait_ready(const std::atomic<bool>*, const LeaderCallback& on_leader) override {
        events_.push_back("wait");
        for (const auto& node : started_) on_leader(node, {200, 2});
        if (!ready_) throw std::runtime_error("container lab-c1 was not ready after 30 s");
    }
    void stop_all() override { events_.push_back("stop containers"); }

  private:
    Events& events_;
    bool ready_;
    std::vector<std::string> started_;
};

class RecordingJournal : public Journal {
  public:
    void record_namespaces(const std::vector<std::string>& namespaces) override {
        recorded.insert(recorded.end(), namespaces.begin(), namespaces.end());
    }
    void record_container(const ContainerRecord& c) override {
        recorded.push_back("container " + c.node);
    }
    void record_leader(const std::string& node, const ProcessRecord&) override {
        recorded.push_back("leader " + node);
    }
    std::vector<std::string> recorded;
};

Plan two_nat() {
    return load_lab_file(test::source_path("labs/two-nat.yaml")).plan;
}

Plan with_containers() {
    return load_lab_text(R"(name: lab
container: {}
nodes:
  c0:
  c1:
links:
  - endpoints: [c0:eth0, c1:eth0]
    subnet: 10.0.0.0/24
)",
                         "lab.yaml")
        .plan;
}

struct Fakes {
    Events events;
    RecordingExecutor ex;
    RecordingRuntime runtime;
    RecordingJournal journal;
    explicit Fakes(std::size_t fail_at = SIZE_MAX, bool ready = true, std::string fail_on = "")
        : ex(events, fail_at, std::move(fail_on)), runtime(events, ready) {}
    void apply(const Plan& plan, const std::atomic<bool>* stop = nullptr) {
        apply_plan(plan, ex, runtime, journal, {stop});
    }
};

}  // namespace

TEST(Apply, AppliesEveryStepInOrder) {
    Fakes f;
    Plan plan = two_nat();
    f.apply(plan);
    EXPECT_EQ(f.ex.applied.size(), plan.steps.size());
    EXPECT_EQ(f.journal.recorded, plan.namespaces());
    EXPECT_TRUE(f.ex.removed.empty());
}

TEST(Apply, FailureRemovesWhatThisRunMadeNewestFirst) {
    Plan plan = two_nat();
    Fakes f(SIZE_MAX, true, "creating namespace two-nat-internet");
    try {
        f.apply(plan);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "creating namespace two-nat-internet: File exists\nnothing of lab two-nat was "
                  "left behind");
    }
    // All were recorded before the first was made (threads may make them in
    // any order), so a crash leaves a record of each. But the rollback removes
    // only what this run made, newest first: internet's name was taken
    // (another lab's, say), and c0 and c1 were never made (the failure
    // started nothing new).

    EXPECT_EQ(f.journal.recorded, plan.namespaces());
    EXPECT_EQ(f.ex.removed, (std::vector<std::string>{"two-nat-nat1", "two-nat-nat0"}));
    // Nothing after the failure: the veths to internet wait for its namespace.
    for (const auto& step : f.ex.applied)
        EXPECT_EQ(step.find("internet"), std::string::npos) << step;
}

TEST(Apply, LateFailureRemovesEveryNamespace) {
    Plan plan = two_nat();
    Fakes f(plan.steps.size() - 1);  // the last NAT ruleset
    EXPECT_THROW(f.apply(plan), ApplyError);
    auto expected = plan.namespaces();
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(f.ex.removed, expected);
}

TEST(Apply, StopFlagRollsBackBetweenSteps) {
    Fakes f;
    std::atomic<bool> stop{true};
    try {
        f.apply(two_nat(), &stop);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("interrupted before creating namespace two-nat-", 0),
                  0u)
            << e.what();
    }
    EXPECT_TRUE(f.ex.applied.empty());
}

TEST(Apply, RollbackFailureIsReportedWithTheWayOut) {
    struct StubbornExecutor : RecordingExecutor {
        using RecordingExecutor::RecordingExecutor;
        void remove_netns(const std::string& netns) override {
            throw std::runtime_error("unmounting /run/netns/" + netns +
                                     ": Device or resource busy");
        }
    };
    Events events;
    StubbornExecutor ex(events, 2);
    RecordingRuntime runtime(events);
    RecordingJournal journal;
    try {
        apply_plan(two_nat(), ex, runtime, journal);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        std::string msg = e.what();
        ASSERT_FALSE(ex.applied.empty());
        std::string made = ex.applied.front().substr(ex.applied.front().rfind(' ') + 1);
        EXPECT_NE(msg.find("could not remove " + made + ": unmounting /run/netns/" + made +
                           ": Device or resource busy"),
                  std::string::npos)
            << msg;
        EXPECT_NE(msg.find("run 'natlab clean two-nat' to retry"), std::string::npos);
    }
}

TEST(Apply, ContainersStartAfterTheNetworkAndAreAwaitedTogether) {
    Fakes f;
    f.apply(with_containers());
    EXPECT_EQ(f.events, (Events{"start lab-c0", "start lab-c1", "wait"}));
    EXPECT_EQ(f.journal.recorded,
              (std::vector<std::string>{"lab-c0", "lab-c1", "container c0", "container c1",
                                        "leader c0", "leader c1"}));
    // The runtime, not the kernel executor, runs containers.
    for (const auto& step : f.ex.applied)
        EXPECT_EQ(step.find("starting container"), std::string::npos);
}

TEST(Apply, ContainerNotReadyStopsContainersBeforeRemovingNamespaces) {
    Fakes f(SIZE_MAX, /*ready=*/false);
    try {
        f.apply(with_containers());
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "container lab-c1 was not ready after 30 s\nnothing of lab lab was left behind");
    }
    EXPECT_EQ(f.events, (Events{"start lab-c0", "start lab-c1", "wait", "stop containers",
                                "remove lab-c1", "remove lab-c0"}));
}
