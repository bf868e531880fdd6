#pragma once
// Problems found in a topology file, each tied to a source position, so they
// can all be reported at once as "file:line:column: message".
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace natlab {

struct SourcePos {
    int line = 0;    // 1-based; 0 = unknown
    int column = 0;  // 1-based
    bool operator==(const SourcePos&) const = default;
    auto operator<=>(const SourcePos&) const = default;
};

struct Diagnostic {
    SourcePos pos;
    std::string message;
};

class Diagnostics {
  public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    void error(SourcePos pos, std::string message);
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    // Sorted by position, one "file:line:column: message" per line; the
    // first kMostShown of them and a line saying how many more there are (a
    // screen of 200,000 messages helps no one, and printing them took 10 s).
    std::string render() const;
    // The messages alone, in the order told (for input that has no file).
    std::vector<std::string> messages() const {
        std::vector<std::string> out;
        for (const auto& d : items_) out.push_back(d.message);
        return out;
    }
    static constexpr std::size_t kMostShown = 100;
    // A "did you mean" weighs a name against every candidate: worth it for as
    // many problems as a report shows, so that n unknown names cost n, not n².
    bool worth_a_suggestion() { return suggestions_++ < kMostShown; }

  private:
    std::string file_;
    std::size_t suggestions_ = 0;
    std::vector<Diagnostic> items_;
    std::set<std::pair<SourcePos, std::string>> told_;
};

}  // namespace natlab
