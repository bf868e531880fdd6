#pragma once
// natlab run: create a lab, run one command with the lab in its environment
// (on the host, or on one node), remove the lab however the command ends.
// Without root the whole lab lives in an unprivileged user namespace.
#include <string>
#include <utility>
#include <vector>

#include "core/topology/lab.hpp"

namespace natlab {

struct RunRequest {
    std::string file, name, in_node;  // name "": the file's name and a random suffix
    bool keep = false, quiet = false;
    bool keep_on_failure = false;  // keep the lab only when the command fails
    std::vector<std::string> command;
    // The scenario: --at TIME ACTION, and the lines of --schedule FILE.
    std::vector<std::pair<std::string, std::string>> at;
    std::string schedule_file;
};

// What a run does beside the lab and its command (--capture), each step at
// its place in the run. Kept apart so the run knows nothing of what it is.
class RunHooks {
  public:
    virtual ~RunHooks() = default;
    // The lab is loaded and checked, nothing is made yet (and a rootless run
    // is still the caller, outside its sandbox): refuse here (InvalidInput).
    virtual void prepare(const Lab& lab) = 0;
    // The lab is made; the command is not started yet.
    virtual void lab_made() = 0;
    // The command is forked (a thread started before the fork could hold a
    // lock the child would wait on forever).
    virtual void command_started() = 0;
    // The command has ended, however it ended; the lab is still there.
    // Returns what to tell on stderr.
    virtual std::string command_ended(bool quiet) = 0;
};

// Several hooks in one (--capture and --serve), each told every step in turn.
class RunHookList final : public RunHooks {
  public:
    void add(RunHooks& hooks) { list_.push_back(&hooks); }
    bool empty() const { return list_.empty(); }
    void prepare(const Lab& lab) override {
        for (auto* h : list_) h->prepare(lab);
    }
    void lab_made() override {
        for (auto* h : list_) h->lab_made();
    }
    void command_started() override {
        for (auto* h : list_) h->command_started();
    }
    std::string command_ended(bool quiet) override {
        std::string out;
        for (auto* h : list_) out += h->command_ended(quiet);
        return out;
    }

  private:
    std::vector<RunHooks*> list_;
};

// natlab run's own failures (the run was impossible, a scheduled change
// failed, the lab could not be removed) exit with this code, never with one
// a command commonly returns (the convention of env, timeout and docker run).
inline constexpr int kRunFailed = 125;

// Returns natlab run's exit code: the command's, 128+N when signal N ended
// it or reached natlab, or kRunFailed when every scheduled change did not
// happen. Throws (before the command starts) when the run is impossible:
// InvalidInput for a bad request, else a runtime failure (both kRunFailed).
int run_fixture(const RunRequest& request, RunHooks* hooks = nullptr);

// The words of `natlab run` (argv without "natlab run") must hold "--"
// before the command: otherwise a command's own options would be taken for
// natlab's. Throws InvalidInput with the right form when they do not.
void require_command_separator(const std::vector<std::string>& words);

}  // namespace natlab
