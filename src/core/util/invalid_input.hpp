#pragma once
#include <stdexcept>

namespace natlab {

// Bad input (a topology file, a name, a command line): the message is ready
// to print, every problem included, and the exit code is 2.
class InvalidInput : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace natlab
