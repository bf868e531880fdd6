// The matrix as one HTML page: a table with its colours inline, the reasons
// as title attributes and as a numbered list (hover does not print).
#include <sstream>

#include "core/punch/matrix_picture.hpp"
#include "core/util/markup.hpp"

namespace natlab {

std::string render_matrix_html(const MatrixView& view) {
    const std::string title = "UDP hole punching between NAT types, measured in lab " + view.lab;
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        << xml_escape(title) << "</title>\n"
        << "<style>\n"
           "body { font-family: \"DejaVu Sans\", Helvetica, Arial, sans-serif; font-size: 14px; "
           "margin: 24px; color: #111827; }\n"
           "table.matrix { border-collapse: collapse; margin: 12px 0; }\n"
           "table.matrix th, table.matrix td { border: 1px solid #6b7280; padding: 8px 12px; "
           "text-align: center; }\n"
           "table.matrix th { background: #e5e7eb; }\n"
           "td.disagrees { outline: 3px solid "
        << kDisagreeOutline
        << "; outline-offset: -3px; }\n"
           "span.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid "
           "#6b7280; vertical-align: middle; margin-right: 6px; }\n"
           "ol.notes li, p.theory { max-width: 60em; margin-bottom: 6px; }\n"
           "</style>\n</head>\n<body>\n"
        << "<h1>" << xml_escape(title) << "</h1>\n"
        << "<p>" << xml_escape(kMatrixSubtitle) << "</p>\n"
        << "<table class=\"matrix\">\n<tr><th>A \\ B</th>";
    for (const auto& label : view.labels) out << "<th>" << xml_escape(label) << "</th>";
    out << "</tr>\n";
    const std::size_t n = view.labels.size();
    for (std::size_t i = 0; i < view.cells.size(); ++i) {
        const CellView& c = view.cells[i];
        const VerdictStyle& s = style_of(c.verdict);
        if (n && i % n == 0) out << "<tr><th>" << xml_escape(view.labels[i / n]) << "</th>";
        out << "<td class=\"" << s.name << "\" style=\"background: " << s.fill << "\" title=\""
            << xml_escape(c.title) << "\">" << xml_escape(c.text);
        if (c.note)
            out << "<br><small><a href=\"#note-" << c.note << "\">note " << c.note
                << "</a></small>";
        out << "</td>";
        if (n && i % n == n - 1) out << "</tr>\n";
    }
    out << "</table>\n<p><strong>" << xml_escape(view.verdict) << "</strong></p>\n<ul>\n";
    for (const auto& s : verdict_styles()) {
        bool outlined = s.verdict == CellVerdict::disagrees;
        out << "<li><span class=\"swatch\" style=\"background: " << s.fill
            << (outlined ? std::string("; border: 2px solid ") + kDisagreeOutline : "")
            << "\"></span><strong>" << s.name << "</strong>: " << xml_escape(s.meaning)
            << "</li>\n";
    }
    out << "</ul>\n";
    if (!view.notes.empty()) {
        out << "<h2>Notes, numbered as in the cells</h2>\n<ol class=\"notes\">\n";
        for (std::size_t i = 0; i < view.notes.size(); ++i)
            out << "<li id=\"note-" << i + 1 << "\">" << xml_escape(view.notes[i]) << "</li>\n";
        out << "</ol>\n";
    }
    if (!view.theory.empty()) {
        out << "<h2>What theory leaves open</h2>\n";
        for (const auto& note : view.theory)
            out << "<p class=\"theory\">" << xml_escape(note) << "</p>\n";
    }
    out << "</body>\n</html>\n";
    return out.str();
}

}  // namespace natlab
