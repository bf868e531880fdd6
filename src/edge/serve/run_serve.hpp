#pragma once
// natlab run --serve: the page of natlab serve kept up while the run's
// command runs, read-only, so whoever watches the run (a developer, a CI
// job's log with its URL) sees the lab as the command changes it.
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "core/serve/request_guard.hpp"
#include "edge/use_cases/run_fixture.hpp"

namespace natlab {

class LabServer;

class RunServe final : public RunHooks {
  public:
    explicit RunServe(ListenAddress listen);
    ~RunServe() override;
    RunServe(const RunServe&) = delete;
    RunServe& operator=(const RunServe&) = delete;

    // Refuses a rootless run: the page reads the NATs' namespaces from here.
    void prepare(const Lab& lab) override;
    void lab_made() override {}
    // Serves from here on (its threads start after the command's fork).
    void command_started() override;
    std::string command_ended(bool quiet) override;

  private:
    ListenAddress listen_;
    std::string lab_;
    std::unique_ptr<LabServer> server_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace natlab
