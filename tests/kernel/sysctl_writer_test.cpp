// Root only: sysctls written in many namespaces land in each of them, also
// once the writing thread has gone over to procfs instances of its own, and
// those instances are mounted nowhere the machine can see.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "edge/kernel/netns.hpp"
#include "edge/kernel/sysctl_writer.hpp"
#include "edge/system/error.hpp"

using namespace natlab;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Read back through the machine's /proc, not the writer's procfs.
std::string forwarding_in(int netns_fd, const std::string& netns) {
    NetnsGuard guard(netns_fd, netns);
    return read_file("/proc/sys/net/ipv4/ip_forward");
}

std::size_t procfs_mounts() {
    std::string table = read_file("/proc/self/mountinfo");
    std::size_t count = 0;
    for (std::size_t at = table.find(" - proc "); at != std::string::npos;
         at = table.find(" - proc ", at + 1))
        ++count;
    return count;
}

class SysctlWriter : public testing::Test {
  protected:
    // More than the namespaces one procfs instance serves (32), twice over.
    static constexpr int kNamespaces = 70;

    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root";
        for (int i = 0; i < kNamespaces; ++i) {
            names_.push_back("natlab-kt-sysctl-" + std::to_string(::getpid()) + "-" +
                             std::to_string(i));
            fds_.push_back(create_netns(names_.back()));
        }
    }
    void TearDown() override {
        fds_.clear();
        for (const auto& name : names_) delete_netns(name);
    }
    std::vector<std::string> names_;
    std::vector<UniqueFd> fds_;
};

}  // namespace

TEST_F(SysctlWriter, EveryNamespaceGetsItsOwnValueAndTheMachineSeesNoNewProcfs) {
    std::size_t mounts_before = procfs_mounts();
    // Every namespace but the last, so that one shows the writes stay where they belong.
    for (int i = 0; i + 1 < kNamespaces; ++i)
        write_netns_sysctl(fds_[i].get(), names_[i], "net.ipv4.ip_forward", "1", "forwarding");
    for (int i = 0; i + 1 < kNamespaces; ++i)
        EXPECT_EQ(forwarding_in(fds_[i].get(), names_[i]), "1\n") << names_[i];
    EXPECT_EQ(forwarding_in(fds_.back().get(), names_.back()), "0\n");
    EXPECT_EQ(procfs_mounts(), mounts_before);
}

TEST_F(SysctlWriter, AnUnknownKeyIsNamedAlsoThroughAProcfsOfItsOwn) {
    for (int i = 0; i < kNamespaces; ++i)
        write_netns_sysctl(fds_[i].get(), names_[i], "net.ipv4.ip_forward", "1", "forwarding");
    try {
        write_netns_sysctl(fds_[0].get(), names_[0], "net.ipv4.no_such_key", "1",
                           "setting net.ipv4.no_such_key");
        FAIL() << "no error";
    } catch (const KernelError& e) {
        EXPECT_STREQ(e.what(),
                     "setting net.ipv4.no_such_key: no such sysctl (check the name against "
                     "/proc/sys)");
    }
}
