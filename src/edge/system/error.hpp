#pragma once
#include <stdexcept>
#include <string>

namespace natlab {

// A kernel operation failed; the message says what was being done and the
// kernel's reason ("adding 10.0.1.1/24 to c0:eth0 in namespace demo-c0: File exists").
class KernelError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// "doing: strerror(err)"
[[noreturn]] void throw_errno(const std::string& doing, int err);

}  // namespace natlab
