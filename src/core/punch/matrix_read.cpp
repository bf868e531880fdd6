#include "core/punch/matrix_read.hpp"

#include <algorithm>
#include <tuple>

#include "core/punch/matrix_types.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

class Reader {
  public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void bad(const std::string& where, const std::string& what) const {
        throw InvalidInput("natlab matrix: " + source_ + ": " + where + " " + what +
                           "; give a file that 'natlab matrix --json' wrote");
    }

    const nlohmann::json& field(const nlohmann::json& object, const std::string& where,
                                const char* key, nlohmann::json::value_t type) const {
        if (!object.is_object()) bad(where, "is not an object");
        auto it = object.find(key);
        if (it == object.end()) bad(where, std::string("has no \"") + key + "\"");
        bool number = type == nlohmann::json::value_t::number_integer && it->is_number_integer();
        if (it->type() != type && !number)
            bad(where + "." + key,
                std::string("is ") + it->type_name() + ", not " + nlohmann::json(type).type_name());
        return *it;
    }
    std::string text(const nlohmann::json& o, const std::string& where, const char* key) const {
        return field(o, where, key, nlohmann::json::value_t::string).get<std::string>();
    }
    bool flag(const nlohmann::json& o, const std::string& where, const char* key) const {
        return field(o, where, key, nlohmann::json::value_t::boolean).get<bool>();
    }

  private:
    std::string source_;
};

// A label natlab no longer knows (a file from another version) is still a
// row and a column: only the sequential note needs the keys.
MatrixType type_of(const std::string& label) {
    try {
        return parse_matrix_types(label).front();
    } catch (const InvalidInput&) {
        return MatrixType{label, label, {}, {}, {}, {}, {}, {}, {}, {}};
    }
}

}  // namespace

MatrixTable read_matrix_json(const nlohmann::json& doc, const std::string& source) {
    Reader r(source);
    MatrixTable table;
    table.lab = r.text(doc, "the document", "lab");
    const auto& pairs = r.field(doc, "the document", "pairs", nlohmann::json::value_t::array);
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string where = "pairs[" + std::to_string(i) + "]";
        std::string a = r.text(r.field(pairs[i], where, "a", nlohmann::json::value_t::object),
                               where + ".a", "matrix_type");
        if (std::find(labels.begin(), labels.end(), a) == labels.end()) labels.push_back(a);
    }
    const std::size_t n = labels.size();
    if (n == 0) r.bad("\"pairs\"", "is empty");
    if (pairs.size() != n * n)
        r.bad("\"pairs\"", "holds " + std::to_string(pairs.size()) + " pairs of " +
                               std::to_string(n) + " types (" + join(labels, ", ") +
                               "), not every pair of them (" + std::to_string(n * n) + ")");
    for (const auto& label : labels) table.types.push_back(type_of(label));
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const std::string where = "pairs[" + std::to_string(i) + "]";
        const nlohmann::json& p = pairs[i];
        const auto& a = r.field(p, where, "a", nlohmann::json::value_t::object);
        const auto& b = r.field(p, where, "b", nlohmann::json::value_t::object);
        const std::string& row = labels[i / n];
        const std::string& column = labels[i % n];
        // Row by row, as matrix --json writes them: a cell out of place would
        // be drawn under the wrong types.
        if (r.text(a, where + ".a", "matrix_type") != row ||
            r.text(b, where + ".b", "matrix_type") != column)
            r.bad(where, "is " + quote(r.text(a, where + ".a", "matrix_type")) + " -> " +
                             quote(r.text(b, where + ".b", "matrix_type")) + " where " +
                             quote(row) + " -> " + quote(column) + " belongs (row by row)");
        MatrixCell cell{table.types[i / n], table.types[i % n], {}};
        PunchRun& run = cell.run;
        for (auto [side, json, nat, part] : {std::tuple{&run.outcome.a, &a, &run.nat_a, ".a"},
                                             std::tuple{&run.outcome.b, &b, &run.nat_b, ".b"}}) {
            side->host = r.text(*json, where + part, "host");
            nat->node = r.text(*json, where + part, "nat");
            nat->type = r.text(*json, where + part, "nat_type");
        }
        PunchReport& report = run.report;
        report.a_to_b = r.flag(p, where, "a_to_b");
        report.b_to_a = r.flag(p, where, "b_to_a");
        report.why_not_a_to_b = r.text(p, where, "why_not_a_to_b");
        report.why_not_b_to_a = r.text(p, where, "why_not_b_to_a");
        std::string theory = r.text(p, where, "theory");
        auto expected = parse_name<PunchExpectation>(theory);
        if (!expected)
            r.bad(where + ".theory", "is " + quote(theory) + ", not one of " +
                                         join(names_of<PunchExpectation>(), ", "));
        report.expected = *expected;
        table.cells.push_back(std::move(cell));
    }
    return table;
}

}  // namespace natlab
