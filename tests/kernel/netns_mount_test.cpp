// Root only: /run/netns is made a shared mount point once, however many
// processes get there at the same instant. Each round runs in a private
// mount namespace of a child process, on a fresh tmpfs /run where
// /run/netns is not yet a mount point, so the host's mounts are untouched.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edge/kernel/netns.hpp"

using namespace natlab;

namespace {

constexpr int kRacers = 16;
constexpr int kRounds = 20;

int mounts_on_run_netns() {
    std::ifstream in("/proc/self/mountinfo");
    int count = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string id, parent, devices, root, mount_point;
        fields >> id >> parent >> devices >> root >> mount_point;
        if (mount_point == "/run/netns") ++count;
    }
    return count;
}

// One round, inside the child's own mount namespace: a fresh /run, kRacers
// processes released at once into share_netns_dir. Returns how many mounts
// that added on /run/netns, or -1 when the round could not be set up.
int race_once() {
    if (::mount("natlab-kt", "/run", "tmpfs", 0, nullptr) != 0 || ::mkdir("/run/netns", 0755) != 0)
        return -1;
    int before = mounts_on_run_netns();
    int gate[2];
    if (::pipe(gate) != 0) return -1;
    std::vector<pid_t> racers;
    for (int i = 0; i < kRacers; ++i) {
        pid_t pid = ::fork();
        if (pid == 0) {
            ::close(gate[1]);
            char c;
            (void)!::read(gate[0], &c, 1);  // returns when the gate closes
            try {
                share_netns_dir();
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        racers.push_back(pid);
    }
    ::close(gate[0]);
    ::close(gate[1]);  // opens the gate for all at once
    bool all_ok = true;
    for (pid_t pid : racers) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        all_ok = all_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    return all_ok ? mounts_on_run_netns() - before : -1;
}

}  // namespace

TEST(NetnsMount, ProcessesRacingIntoTheSetupMountItOnce) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    int result[2];
    ASSERT_EQ(::pipe(result), 0);
    pid_t child = ::fork();
    if (child == 0) {
        int worst = 1;
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            worst = -1;
        for (int round = 0; round < kRounds && worst == 1; ++round) worst = race_once();
        (void)!::write(result[1], &worst, sizeof worst);
        ::_exit(0);
    }
    ::close(result[1]);
    int worst = 0;
    ASSERT_EQ(::read(result[0], &worst, sizeof worst), static_cast<ssize_t>(sizeof worst));
    ::close(result[0]);
    ::waitpid(child, nullptr, 0);
    ASSERT_NE(worst, -1) << "could not set up a private /run with a plain /run/netns";
    EXPECT_EQ(worst, 1) << "a round left /run/netns mounted " << worst << " times: a stack";
}
