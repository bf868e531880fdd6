#pragma once
// Text put into markup (SVG, HTML, Graphviz's HTML-like labels): the five
// characters that would be read as markup become entities. Pure.
#include <string>
#include <string_view>

namespace natlab {

// & < > " ' as entities, everything else as it is; safe in element text and
// in attribute values quoted either way.
std::string xml_escape(std::string_view text);

}  // namespace natlab
