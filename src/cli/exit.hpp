#pragma once
// natlab's exit codes, and how a command asks for one.

namespace natlab {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,   // the kernel or the system refused something
    kExitInvalid = 2,   // bad topology file or bad command line
    kExitMismatch = 3,  // verify: a NAT does not behave as its topology declares
    kExitNoPath = 4,    // punch: no direct connection between the two hosts
};

// A command wants to end the process with this code and no further message.
struct ExitRequest {
    int code;
};

}  // namespace natlab
