#pragma once
// natlab serve's pages, built into the binary: no CDN, no external font, so
// a page works on a machine without internet. Pure.
#include <string>
#include <string_view>
#include <vector>

namespace natlab {

// The page of one lab: it reads the lab's name from its own path, its view
// from /api/lab/NAME/view and its events from /api/lab/NAME/events.
std::string_view lab_page();

// The list of the labs served, each a link to its page.
std::string index_page(const std::vector<std::string>& labs);

}  // namespace natlab
