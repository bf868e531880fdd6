#pragma once
// Running one command as a supervised child: natlab stays in charge of the
// lab while the command runs, and hears of every way the command can end.
#include <functional>

namespace natlab {

struct CommandOutcome {
    int exit_code = 0;        // the command's, or 128+N when signal N ended it
    int signal_received = 0;  // SIGINT/SIGTERM/SIGHUP natlab got meanwhile, or 0
};

// Forks; the child runs child_main (which must exec or _exit) with natlab's
// signal mask undone and SIGTERM as its parent-death signal. SIGINT, SIGTERM
// and SIGHUP sent to natlab are passed on to the command (to its process
// group when it has its own), which gets `grace_s` seconds before SIGKILL.
// `interrupted` is the signal natlab already received (0: none): then the
// command is not started at all. `started` runs in natlab once the command
// is forked (a thread started before the fork could hold a lock the child
// would then wait on forever).
CommandOutcome run_supervised(const std::function<void()>& child_main, int interrupted,
                              const std::function<void()>& started = {}, int grace_s = 10);

}  // namespace natlab
