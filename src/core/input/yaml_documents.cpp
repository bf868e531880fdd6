#include "core/input/yaml_documents.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <limits>
#include <sstream>
#include <string>

#include "core/util/text.hpp"

namespace natlab {
namespace {

// Why the guard stops reading, and where.
struct Refusal {
    YAML::Mark mark;
    std::string message;
};

SourcePos position(const YAML::Mark& mark) {
    return {mark.line + 1, mark.column + 1};
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    return a > std::numeric_limits<std::uint64_t>::max() - b
               ? std::numeric_limits<std::uint64_t>::max()
               : a + b;
}

// Reads the events of the whole stream before any tree is built: it counts
// the nodes written and the nodes aliases repeat (an anchor's size includes
// the aliases inside it, so nested aliases count what they multiply), and
// stops at a document that starts where the one before started, which is
// how yaml-cpp goes round without end.
class StreamGuard : public YAML::EventHandler {
  public:
    explicit StreamGuard(std::string_view text) : text_(text) {}

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (documents_ > 0 && mark.pos == last_start_.pos) throw Refusal{mark, stray(mark)};
        ++documents_;
        last_start_ = mark;
        sizes_.clear();  // anchors belong to their document
        names_.clear();
    }
    void OnDocumentEnd() override {}
    void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_name_ = name; }
    void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        // Names, addresses and arguments go to the kernel and to programs as
        // C strings, which end at the first NUL: the rest would be dropped unseen.
        if (value.find('\0') != std::string::npos)
            throw Refusal{mark, "value " + quote(value) +
                                    " holds a NUL character (\\x00), where the kernel and the "
                                    "programs natlab starts would cut it short; remove it"};
        leaf(anchor);
    }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(anchor);
    }
    void OnMapEnd() override { close(); }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        ++written_;
        std::uint64_t size = anchor < sizes_.size() ? sizes_[anchor] : 0;
        if (size == kOpen)
            throw Refusal{mark, "alias " + alias_name(anchor) +
                                    " is inside the node it names, which would make that node "
                                    "endless; name a node that ends before the alias"};
        repeated_ = saturating_add(repeated_, size);
        expanded_ = saturating_add(expanded_, size);
        aliases_.push_back({repeated_, mark, alias_name(anchor)});
    }

    // Once the whole stream is read: refused when aliases repeat more nodes
    // than the file may, at the alias where the count passed the limit.
    void check_repeated() const {
        const std::uint64_t most = std::max(kMostRepeatedNodes, written_);
        if (repeated_ <= most) return;
        auto past = std::find_if(aliases_.begin(), aliases_.end(),
                                 [&](const Alias& a) { return a.repeated_so_far > most; });
        throw Refusal{past->mark, "alias " + past->name + ": the aliases up to here repeat " +
                                      count_text(past->repeated_so_far) +
                                      " nodes, more than natlab reads (as many nodes as the "
                                      "file writes, " +
                                      count_text(written_) + " here, or " +
                                      count_text(kMostRepeatedNodes) +
                                      " in a smaller file); use fewer aliases, or anchor a "
                                      "smaller node"};
    }

  private:
    static constexpr std::uint64_t kOpen = std::numeric_limits<std::uint64_t>::max();

    struct Alias {
        std::uint64_t repeated_so_far;
        YAML::Mark mark;
        std::string name;
    };

    std::string_view text_;
    int documents_ = 0;
    YAML::Mark last_start_;
    std::uint64_t written_ = 0;         // nodes as written, an alias one node
    std::uint64_t expanded_ = 0;        // nodes as a reader of the tree meets them
    std::uint64_t repeated_ = 0;        // nodes aliases repeat
    std::vector<std::uint64_t> sizes_;  // by anchor: the anchored node's expanded size, or kOpen
    std::vector<std::string> names_;    // by anchor
    std::string pending_name_;          // OnAnchor comes just before its node
    std::vector<std::pair<YAML::anchor_t, std::uint64_t>> open_;  // anchor, expanded_ at start
    std::vector<Alias> aliases_;

    void name_anchor(YAML::anchor_t anchor, std::uint64_t size) {
        if (anchor == YAML::NullAnchor) return;
        if (sizes_.size() <= anchor) {
            sizes_.resize(anchor + 1, 0);
            names_.resize(anchor + 1);
        }
        sizes_[anchor] = size;
        names_[anchor] = pending_name_;
    }
    void leaf(YAML::anchor_t anchor) {
        ++written_;
        expanded_ = saturating_add(expanded_, 1);
        name_anchor(anchor, 1);
    }
    void open(YAML::anchor_t anchor) {
        ++written_;
        open_.emplace_back(anchor, expanded_);
        expanded_ = saturating_add(expanded_, 1);
        name_anchor(anchor, kOpen);
    }
    void close() {
        auto [anchor, start] = open_.back();
        open_.pop_back();
        if (anchor != YAML::NullAnchor) sizes_[anchor] = std::min(expanded_ - start, kOpen - 1);
    }
    std::string alias_name(YAML::anchor_t anchor) const {
        return quote("*" + (anchor < names_.size() ? names_[anchor] : std::string()));
    }
    static std::string count_text(std::uint64_t n) {
        std::string digits = std::to_string(n);
        for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
        return digits;
    }
    // What yaml-cpp stops at: a character that cannot start a document (a
    // ',' in practice: a stray ']' or '}' is a syntax error already).
    std::string stray(const YAML::Mark& mark) const {
        auto at = static_cast<std::size_t>(mark.pos);
        if (mark.pos >= 0 && at < text_.size() && text_[at] == ',')
            return "YAML syntax error: ',' outside any list or mapping; remove it, or put the "
                   "items in '[ ]' or '{ }'";
        return "YAML syntax error: " + quote(text_.substr(at < text_.size() ? at : 0, 1)) +
               " cannot start a value here; remove it";
    }
};

// yaml-cpp's messages name the parser state; say what to look for instead.
std::string syntax_hint(const std::string& message) {
    if (message.find("map flow") != std::string::npos) return "; a '{' above is not closed by '}'";
    if (message.find("seq flow") != std::string::npos) return "; a '[' above is not closed by ']'";
    if (message.find("illegal flow end") != std::string::npos)
        return "; this ']' or '}' closes no '[' or '{': remove it";
    if (message.find("end of map not found") != std::string::npos)
        return "; check the indentation of the lines above";
    return "";
}

}  // namespace

std::optional<std::vector<YAML::Node>> read_yaml_documents(std::string_view text,
                                                           Diagnostics& diag) {
    std::string owned(text);
    try {
        // The guard reads the stream first: the tree is built only from a
        // stream whose documents end and whose aliases stay small.
        std::istringstream stream(owned);
        YAML::Parser parser(stream);
        StreamGuard guard(owned);
        while (parser.HandleNextDocument(guard)) {
        }
        guard.check_repeated();
        return YAML::LoadAll(owned);
    } catch (const Refusal& refusal) {
        diag.error(position(refusal.mark), refusal.message);
    } catch (const YAML::DeepRecursion& e) {
        diag.error(position(e.mark),
                   "YAML nested " + std::to_string(e.depth()) +
                       " levels deep by here, deeper than natlab reads; a topology is a few "
                       "levels deep: look for brackets that are opened and never closed");
    } catch (const YAML::ParserException& e) {
        diag.error(position(e.mark), "YAML syntax error: " + e.msg + syntax_hint(e.msg));
    }
    return std::nullopt;
}

}  // namespace natlab
