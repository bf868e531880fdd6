#pragma once
// The wall clock as natlab's live views print it: "14:03:07.214", local time
// to the millisecond, for following a conversation event by event.
#include <string>

namespace natlab {

std::string clock_time_now();

}  // namespace natlab
