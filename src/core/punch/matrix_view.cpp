#include "core/punch/matrix_view.hpp"

#include <algorithm>

namespace natlab {

const std::array<VerdictStyle, 4>& verdict_styles() {
    static const std::array<VerdictStyle, 4> styles = {{
        {CellVerdict::direct, "direct", "#86efac", "a direct connection both ways, as theory says"},
        {CellVerdict::failed, "failed", "#fecaca",
         "no direct connection, as theory says (the note says why)"},
        {CellVerdict::race, "race", "#fde68a",
         "theory cannot tell: which first packet reaches the other NAT first decides, so "
         "either result agrees"},
        {CellVerdict::disagrees, "disagrees", "#f0abfc",
         "the measurement disagrees with theory (outlined)"},
    }};
    return styles;
}

const VerdictStyle& style_of(CellVerdict verdict) {
    return verdict_styles()[static_cast<std::size_t>(verdict)];
}

namespace {

CellVerdict verdict_of(const PunchReport& r) {
    if (!r.agrees()) return CellVerdict::disagrees;
    if (r.expected == PunchExpectation::race) return CellVerdict::race;
    return r.works() ? CellVerdict::direct : CellVerdict::failed;
}

std::string cell_text(const PunchReport& r) {
    std::string measured = r.works() ? "direct" : "failed";
    if (!r.works() && (r.a_to_b || r.b_to_a)) measured += ", one way";
    switch (verdict_of(r)) {
        case CellVerdict::race:
            return "race: " + measured;
        case CellVerdict::disagrees:
            return measured +
                   " (theory: " + (r.expected == PunchExpectation::works ? "direct" : "failed") +
                   ")";
        default:
            return measured;
    }
}

// "full-cone (full-1)": the type, and the host when the run named it.
std::string side(const std::string& label, const std::string& host) {
    return host.empty() ? label : label + " (" + host + ")";
}

std::string one_way(const std::string& from, const std::string& to, bool through,
                    const std::string& why) {
    return from + " -> " + to + ": " +
           (through ? "got through" : "nothing arrived" + (why.empty() ? "" : ": " + why));
}

std::string theory_words(const PunchReport& r) {
    switch (r.expected) {
        case PunchExpectation::works:
            return "Theory says a direct connection";
        case PunchExpectation::fails:
            return "Theory says no direct connection";
        case PunchExpectation::race:
            break;
    }
    return "Theory says a race (either result agrees)";
}

// Why, each way: the cell's hover text and, for a failure, its note.
std::string explanation(const MatrixCell& c) {
    const PunchReport& r = c.run.report;
    std::string a = side(c.a.label, c.run.outcome.a.host);
    std::string b = side(c.b.label, c.run.outcome.b.host);
    return one_way(a, b, r.a_to_b, r.why_not_a_to_b) + ". " +
           one_way(b, a, r.b_to_a, r.why_not_b_to_a) + ". " + theory_words(r) +
           (r.agrees() ? "." : ": this disagrees.");
}

}  // namespace

std::vector<std::string> matrix_theory_notes(const std::vector<MatrixType>& types,
                                             const std::vector<MatrixCell>& cells) {
    std::vector<std::string> notes;
    if (std::any_of(cells.begin(), cells.end(), [](const MatrixCell& c) {
            return c.run.report.expected == PunchExpectation::race;
        })) {
        notes.push_back(
            "(race): a bare box (+bare, no firewall) hands a peer's packet that arrives before "
            "its host's own first packet to that peer to its own stack, which holds the tuple; "
            "the host's packets then leave from another port. Both peers send at once, so which "
            "comes first decides, and either result agrees with theory.");
    }
    if (std::any_of(types.begin(), types.end(),
                    [](const MatrixType& t) { return t.port_allocation == "sequential"; })) {
        notes.push_back(
            "Sequential allocation makes a NAT predictable: its next port is the last one plus "
            "one, which port prediction (RFC 5128) exploits. natlab punch predicts no ports, so "
            "theory counts such a NAT by its classes alone.");
    }
    return notes;
}

MatrixView matrix_view(const std::string& lab, const std::vector<MatrixType>& types,
                       const std::vector<MatrixCell>& cells) {
    MatrixView view;
    view.lab = lab;
    for (const auto& t : types) view.labels.push_back(t.label);
    int disagree = 0;
    for (const auto& c : cells) {
        const PunchReport& r = c.run.report;
        CellView cell{c.a.label, c.b.label, verdict_of(r), cell_text(r), "", 0};
        cell.title = cell.text + ". " + explanation(c);
        if (!r.works() || !r.agrees()) {
            view.notes.push_back(explanation(c));
            cell.note = static_cast<int>(view.notes.size());
        }
        if (!r.agrees()) ++disagree;
        view.cells.push_back(std::move(cell));
    }
    view.agrees = disagree == 0;
    view.verdict = view.agrees ? "Every cell agrees with theory."
                               : std::to_string(disagree) +
                                     (disagree == 1 ? " cell disagrees" : " cells disagree") +
                                     " with theory (outlined).";
    view.theory = matrix_theory_notes(types, cells);
    return view;
}

}  // namespace natlab
