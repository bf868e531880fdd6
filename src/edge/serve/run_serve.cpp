#include "edge/serve/run_serve.hpp"

#include <unistd.h>

#include <iostream>

#include "core/util/invalid_input.hpp"
#include "edge/serve/lab_server.hpp"

namespace natlab {

RunServe::RunServe(ListenAddress listen) : listen_(std::move(listen)) {}

RunServe::~RunServe() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void RunServe::prepare(const Lab& lab) {
    if (::geteuid() != 0)
        throw InvalidInput(
            "natlab run: --serve needs root: the page reads every NAT's conntrack table from "
            "its namespace, and a run without root builds the lab where only it can see; run "
            "as root, or leave --serve out");
    lab_ = lab.name;
}

void RunServe::command_started() {
    // The command runs already: a page that cannot be served (its port in
    // use) is told, and the run goes on without it.
    try {
        server_ = std::make_unique<LabServer>(ServeOptions{{lab_}, listen_, false});
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\nnatlab run: the command runs without the lab's page"
                  << std::endl;
        return;
    }
    std::cerr << "natlab run: the lab's page is at " << server_->url(lab_)
              << " while the command runs" << std::endl;
    thread_ = std::thread([this] { server_->serve_until(stop_); });
}

std::string RunServe::command_ended(bool) {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    server_.reset();
    return "";
}

}  // namespace natlab
