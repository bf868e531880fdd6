// Rollback of a failed create, checked against a recording fake executor.
#include <gtest/gtest.h>

#include "lab/apply.hpp"
#include "lab/loaded_lab.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

class RecordingExecutor : public Executor {
  public:
    explicit RecordingExecutor(std::size_t fail_at = SIZE_MAX) : fail_at_(fail_at) {}
    void apply(const Step& step) override {
        if (applied.size() == fail_at_) throw std::runtime_error(describe(step) + ": File exists");
        applied.push_back(describe(step));
    }
    void remove_netns(const std::string& netns) override { removed.push_back(netns); }
    std::vector<std::string> applied, removed;

  private:
    std::size_t fail_at_;
};

class RecordingJournal : public Journal {
  public:
    void record_netns(const std::string& netns) override { recorded.push_back(netns); }
    std::vector<std::string> recorded;
};

Plan two_nat() {
    return load_lab_file(test::source_path("labs/two-nat.yaml")).plan;
}

}  // namespace

TEST(Apply, AppliesEveryStepInOrder) {
    RecordingExecutor ex;
    RecordingJournal journal;
    Plan plan = two_nat();
    apply_plan(plan, ex, journal);
    EXPECT_EQ(ex.applied.size(), plan.steps.size());
    EXPECT_EQ(journal.recorded, plan.namespaces());
    EXPECT_TRUE(ex.removed.empty());
}

TEST(Apply, FailureRemovesWhatWasMadeNewestFirst) {
    Plan plan = two_nat();
    RecordingExecutor ex(/*fail_at=*/3);  // the fourth namespace
    RecordingJournal journal;
    try {
        apply_plan(plan, ex, journal);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        EXPECT_EQ(
            std::string(e.what()),
            "creating namespace two-nat-nat1: File exists\nnothing of lab two-nat was left behind");
    }
    // The failing namespace was recorded before it was attempted, so it is removed too.
    EXPECT_EQ(journal.recorded, (std::vector<std::string>{"two-nat-c0", "two-nat-c1",
                                                          "two-nat-nat0", "two-nat-nat1"}));
    EXPECT_EQ(ex.removed, (std::vector<std::string>{"two-nat-nat1", "two-nat-nat0", "two-nat-c1",
                                                    "two-nat-c0"}));
}

TEST(Apply, LateFailureRemovesEveryNamespace) {
    Plan plan = two_nat();
    RecordingExecutor ex(plan.steps.size() - 1);  // the last NAT ruleset
    RecordingJournal journal;
    EXPECT_THROW(apply_plan(plan, ex, journal), ApplyError);
    auto expected = plan.namespaces();
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(ex.removed, expected);
}

TEST(Apply, StopFlagRollsBackBetweenSteps) {
    Plan plan = two_nat();
    RecordingExecutor ex;
    RecordingJournal journal;
    std::atomic<bool> stop{true};
    try {
        apply_plan(plan, ex, journal, &stop);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        EXPECT_EQ(
            std::string(e.what()).rfind("interrupted before creating namespace two-nat-c0", 0), 0u);
    }
    EXPECT_TRUE(ex.applied.empty());
}

TEST(Apply, RollbackFailureIsReportedWithTheWayOut) {
    struct StubbornExecutor : RecordingExecutor {
        StubbornExecutor() : RecordingExecutor(2) {}
        void remove_netns(const std::string& netns) override {
            throw std::runtime_error("unmounting /run/netns/" + netns +
                                     ": Device or resource busy");
        }
    } ex;
    RecordingJournal journal;
    try {
        apply_plan(two_nat(), ex, journal);
        FAIL() << "expected ApplyError";
    } catch (const ApplyError& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("could not remove two-nat-c0: unmounting /run/netns/two-nat-c0: Device "
                           "or resource busy"),
                  std::string::npos);
        EXPECT_NE(msg.find("run 'natlab clean two-nat' to retry"), std::string::npos);
    }
}
