// The matrix as SVG, laid out by natlab itself: widths come from the
// longest text at an estimated glyph width, generous enough for the common
// sans-serif fonts, since SVG has no automatic table layout.
#include <algorithm>
#include <sstream>

#include "core/punch/matrix_picture.hpp"
#include "core/util/markup.hpp"

namespace natlab {
namespace {

constexpr int kMargin = 20, kFont = 12, kTitleFont = 16, kHeaderHeight = 32, kRowHeight = 44,
              kLine = 16;

// Characters, not bytes: labels and reasons may hold UTF-8.
std::size_t glyphs(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

// 0.62 em covers DejaVu Sans and Helvetica at their widest common letters;
// bold runs wider.
int width_of(const std::string& text, int font = kFont, bool bold = false) {
    return static_cast<int>(static_cast<double>(glyphs(text)) * font * (bold ? 0.7 : 0.62)) + 1;
}

// Words filled into lines of at most `chars` characters.
std::vector<std::string> wrap(const std::string& text, std::size_t chars) {
    std::vector<std::string> lines;
    std::string line;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
        if (!line.empty() && glyphs(line) + 1 + glyphs(word) > chars) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string text_at(int x, int y, const std::string& text, const std::string& attributes = "") {
    return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\"" +
           (attributes.empty() ? "" : " " + attributes) + ">" + xml_escape(text) + "</text>\n";
}

std::string rect(int x, int y, int w, int h, const std::string& fill,
                 const std::string& stroke = "#6b7280", double stroke_width = 1) {
    std::ostringstream out;
    out << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << w << "\" height=\"" << h
        << "\" fill=\"" << fill << "\" stroke=\"" << stroke << "\" stroke-width=\"" << stroke_width
        << "\"/>\n";
    return out.str();
}

}  // namespace

std::string render_matrix_svg(const MatrixView& view) {
    const std::string corner = "A \\ B";
    int label_w = width_of(corner, kFont, true);
    int cell_w = 110;
    for (const auto& label : view.labels) {
        label_w = std::max(label_w, width_of(label, kFont, true));
        cell_w = std::max(cell_w, width_of(label, kFont, true) + 16);
    }
    label_w += 20;
    for (const auto& c : view.cells) cell_w = std::max(cell_w, width_of(c.text) + 16);
    const int n = static_cast<int>(view.labels.size());
    const int table_w = label_w + n * cell_w;

    const std::string title = "UDP hole punching between NAT types, measured in lab " + view.lab;
    const std::string subtitle = kMatrixSubtitle;
    int legend_w = 0;
    for (const auto& s : verdict_styles())
        legend_w = std::max(legend_w, 24 + width_of(std::string(s.name) + ": " + s.meaning));
    int width =
        std::max({table_w, legend_w, width_of(title, kTitleFont, true), width_of(subtitle), 720}) +
        2 * kMargin;
    const std::size_t wrap_chars =
        static_cast<std::size_t>((width - 2 * kMargin - 28) / (kFont * 0.62));

    std::ostringstream body;
    int y = kMargin + kTitleFont;
    body << text_at(kMargin, y, title, "font-size=\"16\" font-weight=\"bold\"");
    y += kLine + 4;
    body << text_at(kMargin, y, subtitle, "fill=\"#374151\"");
    y += 14;

    // The table: a header row of B's types, then a row per A's type.
    const int top = y;
    body << rect(kMargin, top, label_w, kHeaderHeight, "#e5e7eb");
    body << text_at(kMargin + 10, top + 20, corner, "font-weight=\"bold\"");
    for (int col = 0; col < n; ++col) {
        int x = kMargin + label_w + col * cell_w;
        body << rect(x, top, cell_w, kHeaderHeight, "#e5e7eb");
        body << text_at(x + cell_w / 2, top + 20, view.labels[col],
                        "text-anchor=\"middle\" font-weight=\"bold\"");
    }
    for (int row = 0; row < n; ++row) {
        int ry = top + kHeaderHeight + row * kRowHeight;
        body << rect(kMargin, ry, label_w, kRowHeight, "#e5e7eb");
        body << text_at(kMargin + 10, ry + kRowHeight / 2 + 4, view.labels[row],
                        "font-weight=\"bold\"");
    }
    // Outlines are drawn after every fill, so a neighbour's edge cannot cover one.
    std::string outlines;
    for (std::size_t i = 0; i < view.cells.size(); ++i) {
        const CellView& c = view.cells[i];
        int row = static_cast<int>(i) / std::max(n, 1), col = static_cast<int>(i) % std::max(n, 1);
        int x = kMargin + label_w + col * cell_w, cy = top + kHeaderHeight + row * kRowHeight;
        body << "<g>\n<title>" << xml_escape(c.title) << "</title>\n"
             << rect(x, cy, cell_w, kRowHeight, style_of(c.verdict).fill)
             << text_at(x + cell_w / 2, cy + (c.note ? 18 : 26), c.text, "text-anchor=\"middle\"");
        if (c.note)
            body << text_at(x + cell_w / 2, cy + 34, "note " + std::to_string(c.note),
                            "text-anchor=\"middle\" font-size=\"10\" fill=\"#374151\"");
        body << "</g>\n";
        if (c.verdict == CellVerdict::disagrees)
            outlines +=
                rect(x + 1, cy + 1, cell_w - 2, kRowHeight - 2, "none", kDisagreeOutline, 3);
    }
    body << outlines;
    y = top + kHeaderHeight + n * kRowHeight + 24;

    body << text_at(kMargin, y, view.verdict, "font-weight=\"bold\"");
    y += kLine + 8;
    for (const auto& s : verdict_styles()) {
        bool outlined = s.verdict == CellVerdict::disagrees;
        body << rect(kMargin, y - 11, 14, 14, s.fill, outlined ? kDisagreeOutline : "#6b7280",
                     outlined ? 2 : 1);
        body << "<text x=\"" << kMargin + 22 << "\" y=\"" << y << "\"><tspan font-weight=\"bold\">"
             << xml_escape(s.name) << "</tspan>: " << xml_escape(s.meaning) << "</text>\n";
        y += kLine + 2;
    }

    auto paragraph = [&](const std::string& head, const std::string& text) {
        bool first = true;
        for (const auto& line : wrap(text, wrap_chars)) {
            body << text_at(kMargin + (first ? 0 : 28), y, (first ? head : "") + line);
            first = false;
            y += kLine;
        }
    };
    if (!view.notes.empty()) {
        y += 10;
        body << text_at(kMargin, y, "Notes, numbered as in the cells:", "font-weight=\"bold\"");
        y += kLine + 2;
        for (std::size_t i = 0; i < view.notes.size(); ++i) {
            paragraph(std::to_string(i + 1) + ". ", view.notes[i]);
            y += 4;
        }
    }
    if (!view.theory.empty()) {
        y += 10;
        body << text_at(kMargin, y, "What theory leaves open:", "font-weight=\"bold\"");
        y += kLine + 2;
        for (const auto& note : view.theory) {
            paragraph("", note);
            y += 4;
        }
    }
    int height = y + kMargin;

    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << " " << height
        << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"" << kFont
        << "\">\n"
        << "<title>" << xml_escape(title) << "</title>\n"
        << rect(0, 0, width, height, "#ffffff", "none", 0) << body.str() << "</svg>\n";
    return out.str();
}

}  // namespace natlab
