#include "edge/serve/lab_server.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <list>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/serve/page.hpp"
#include "core/util/invalid_input.hpp"
#include "core/util/text.hpp"
#include "edge/serve/lab_monitor.hpp"
#include "edge/serve/page_changes.hpp"
#include "edge/system/fd.hpp"
#include "edge/system/random.hpp"

namespace natlab {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;

namespace {

// One answer per connection: a page asks for little, and a stream holds its own.
void send(tcp::socket& socket, unsigned status, const std::string& type, std::string body) {
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(false);
    res.body() = std::move(body);
    res.prepare_payload();
    boost::system::error_code ignored;
    http::write(socket, res, ignored);
}

void send_json(tcp::socket& socket, unsigned status, const json& body) {
    send(socket, status, "application/json", body.dump());
}

void refuse(tcp::socket& socket, unsigned status, const std::string& why) {
    send_json(socket, status, {{"error", why}});
}

// "/api/lab/two-nat/view?x" -> {"api", "lab", "two-nat", "view"}.
std::vector<std::string> path_parts(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::vector<std::string> out;
    for (std::size_t at = 0; at < target.size();) {
        std::size_t slash = target.find('/', at);
        if (slash == std::string_view::npos) slash = target.size();
        if (slash > at) out.emplace_back(target.substr(at, slash - at));
        at = slash + 1;
    }
    return out;
}

}  // namespace

struct LabServer::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::map<std::string, std::unique_ptr<LabMonitor>> labs;
    std::string token;
    bool allow_changes = false;
    ListenAddress listen;
    std::atomic<bool> stopping{false};

    struct Connection {
        std::thread thread;
        std::atomic<bool> done{false};
    };
    std::list<Connection> connections;

    void accept_until(const std::atomic<bool>& stop) {
        acceptor.non_blocking(true);
        while (!stop) {
            pollfd pfd{acceptor.native_handle(), POLLIN, 0};
            if (::poll(&pfd, 1, 100) <= 0) continue;
            boost::system::error_code ec;
            tcp::socket socket(io);
            acceptor.accept(socket, ec);
            if (ec) continue;
            socket.non_blocking(false);
            // A request that never finishes does not hold its thread for ever.
            timeval timeout{5, 0};
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
            std::erase_if(connections, [](Connection& c) {
                if (!c.done) return false;
                c.thread.join();
                return true;
            });
            Connection& c = connections.emplace_back();
            c.thread = std::thread([this, &c, s = std::move(socket)]() mutable {
                answer(s);
                c.done = true;
            });
        }
        stopping = true;
        for (auto& c : connections) c.thread.join();
        connections.clear();
    }

    void answer(tcp::socket& socket) {
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> req;
        boost::system::error_code ec;
        http::read(socket, buffer, req, ec);
        if (ec) return;
        const std::string host(req[http::field::host]);
        if (!host_allowed(host, listen))
            // A page of another site whose name now resolves here (DNS rebinding).
            return refuse(socket, 421,
                          "natlab serve answers requests for " + listen.authority() +
                              " only, not " + quote(host));
        route(socket, req);
    }

    void route(tcp::socket& socket, const http::request<http::string_body>& req) {
        const auto parts = path_parts(std::string_view(req.target().data(), req.target().size()));
        const bool get = req.method() == http::verb::get;
        if (get && parts.empty()) {
            std::vector<std::string> names;
            for (const auto& [name, monitor] : labs) names.push_back(name);
            return send(socket, 200, "text/html; charset=utf-8", index_page(names));
        }
        LabMonitor* lab = nullptr;
        if (parts.size() >= 2 && (parts[0] == "lab" || parts[0] == "api")) {
            const std::string& name = parts[0] == "lab"  ? parts[1]
                                      : parts.size() > 2 ? parts[2]
                                                         : "";
            auto it = labs.find(name);
            if (it == labs.end()) {
                std::vector<std::string> names;
                for (const auto& [n, monitor] : labs) names.push_back(n);
                return refuse(socket, 404,
                              "natlab serve follows no lab " + quote(name) + "; it serves " +
                                  join(names, ", "));
            }
            lab = it->second.get();
        }
        if (get && lab && parts.size() == 2 && parts[0] == "lab")
            return send(socket, 200, "text/html; charset=utf-8", std::string(lab_page()));
        if (!lab || parts.size() != 4 || parts[0] != "api" || parts[1] != "lab")
            return refuse(socket, 404, "no such page: " + std::string(req.target()));
        const std::string& what = parts[3];
        if (get && what == "view") {
            json view = lab->view();
            view["changes_allowed"] = allow_changes;
            return send_json(socket, 200, view);
        }
        if (get && what == "traffic") return send_json(socket, 200, lab->traffic());
        if (get && what == "events") return stream_events(socket, *lab);
        if (req.method() == http::verb::post && what == "change") return change(socket, *lab, req);
        refuse(socket, 405, std::string(req.method_string()) + " " + what + " is not served");
    }

    // One `data:` line per event; a comment every second keeps the stream
    // open and tells when the page is gone (the write fails, the queue goes).
    void stream_events(tcp::socket& socket, LabMonitor& lab) {
        auto queue = lab.subscribe();
        std::string out =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: "
            "no-store\r\nConnection: close\r\n\r\n";
        while (!stopping) {
            boost::system::error_code ec;
            asio::write(socket, asio::buffer(out), ec);
            if (ec) return;
            auto taken = queue->take(std::chrono::milliseconds(1000));
            out.clear();
            if (taken.skipped)
                out +=
                    "data: " + json{{"kind", "skipped"}, {"count", taken.skipped}}.dump() + "\n\n";
            for (const auto& e : taken.events) out += "data: " + e + "\n\n";
            if (out.empty()) out = ": still here\n\n";
        }
    }

    void change(tcp::socket& socket, LabMonitor& lab, const http::request<http::string_body>& req) {
        if (!allow_changes)
            return refuse(socket, 403,
                          "this page shows the lab and changes nothing; start natlab serve with "
                          "--allow-changes to change it from the page");
        if (!token_matches(std::string(req["X-Natlab-Token"]), token))
            return refuse(socket, 403,
                          "the change carries no token or a wrong one; open the page by the URL "
                          "natlab serve printed (it holds the token)");
        json body = json::parse(req.body(), nullptr, false);
        if (!body.is_object()) return refuse(socket, 400, "the change is not a JSON object");
        try {
            send_json(socket, 200, {{"result", apply_page_change(lab.name(), body)}});
        } catch (const std::exception& e) {
            refuse(socket, 400, e.what());
        }
    }
};

LabServer::LabServer(const ServeOptions& options) : impl_(std::make_unique<Impl>()) {
    raise_open_file_limit();
    for (const auto& name : options.labs)
        impl_->labs.emplace(name, std::make_unique<LabMonitor>(name));
    impl_->allow_changes = options.allow_changes;
    if (options.allow_changes) impl_->token = random_hex(16);  // 128 bits, as Jupyter's token
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options.listen.host, ec);
    if (!ec) {
        tcp::endpoint at(address, static_cast<unsigned short>(options.listen.port));
        impl_->acceptor.open(at.protocol(), ec);
        if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) impl_->acceptor.bind(at, ec);
        if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec)
        throw InvalidInput("natlab serve: cannot listen on " + options.listen.authority() + " (" +
                           ec.message() +
                           "); choose another: natlab serve --listen ADDR:PORT, natlab run "
                           "--serve ADDR:PORT (port 0: any free port, e.g. 127.0.0.1:0)");
    listen_ = options.listen;
    listen_.port = impl_->acceptor.local_endpoint().port();
    impl_->listen = listen_;
}

LabServer::~LabServer() = default;

std::string LabServer::url(const std::string& lab) const {
    return "http://" + listen_.authority() + "/lab/" + lab +
           (impl_->token.empty() ? "" : "?token=" + impl_->token);
}

void LabServer::serve_until(const std::atomic<bool>& stop) {
    impl_->accept_until(stop);
}

}  // namespace natlab
