// Every file in tests/unit/bad is a broken topology; its .expected file holds
// the exact messages natlab must print for it.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/lifecycle/loaded_lab.hpp"
#include "test_util.hpp"

using namespace natlab;

namespace {

std::vector<std::string> bad_files() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(test::source_path("tests/unit/bad")))
        if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class BadFile : public testing::TestWithParam<std::string> {};

TEST_P(BadFile, ReportsExactMessages) {
    std::string dir = test::source_path("tests/unit/bad/");
    std::string expected = test::read_text(dir + GetParam() + ".expected");
    ASSERT_FALSE(expected.empty()) << "missing " << GetParam() << ".expected";
    try {
        load_lab_text(test::read_text(dir + GetParam() + ".yaml"), GetParam() + ".yaml");
        FAIL() << GetParam() << ".yaml was accepted";
    } catch (const InvalidInput& e) {
        EXPECT_EQ(std::string(e.what()) + "\n", expected);
    }
}

INSTANTIATE_TEST_SUITE_P(Bad, BadFile, testing::ValuesIn(bad_files()), [](const auto& info) {
    std::string n = info.param;
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
});

}  // namespace
