// A plain driver for the fuzz harnesses where libFuzzer is not linked: it
// runs LLVMFuzzerTestOneInput on every seed file, then on deterministic
// mutations of them until the time is up. A crash, an escaped exception, an
// input slower than the per-input limit, or memory past the limit fails the
// run, with the input saved as fuzz-failure-NAME in the current directory.
//
//   fuzz_NAME [--seconds S] SEED_FILE...
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

constexpr unsigned kSecondsPerInput = 5;
constexpr rlim_t kMemoryLimit = rlim_t{2} << 30;

// The input running now and where to save it, for the signal handler.
const std::string* running = nullptr;
char failure_file[256] = "fuzz-failure";

void save_running() {
    if (!running) return;
    int fd = ::open(failure_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    std::size_t done = 0;
    while (done < running->size()) {
        ssize_t n = ::write(fd, running->data() + done, running->size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
}

void on_fatal_signal(int sig) {
    save_running();
    const char* what = sig == SIGALRM ? "fuzz: an input ran too long; saved as "
                                      : "fuzz: an input crashed; saved as ";
    [[maybe_unused]] auto n = ::write(2, what, std::strlen(what));
    n = ::write(2, failure_file, std::strlen(failure_file));
    n = ::write(2, "\n", 1);
    ::signal(SIGABRT, SIG_DFL);
    ::signal(sig, SIG_DFL);
    ::raise(sig == SIGALRM ? SIGABRT : sig);
}

// Pieces that the parsers treat specially, for mutations to insert.
const std::vector<std::string> kTokens = {
    ",",    "]",       "}",       "[",     "{",    ":",        "- ",         "\n",
    "\0",   "&a ",     "*a",      "---\n", "#",    "'",        "\"",         "/",
    "=",    "s",       "ms",      "%",     "0",    "-1",       "4294967296", "99999999999999999999",
    "::",   ".",       "/0",      "/33",   "/129", "10.0.1.0", "fd00::1",    "none",
    "nat0", "c0:eth0", "nat0:wan"};

std::string mutate(std::string input, const std::vector<std::string>& seeds, std::mt19937& random) {
    auto pick = [&](std::size_t n) {
        return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    for (std::size_t edits = 1 + pick(4); edits > 0; --edits) {
        std::size_t at = pick(input.size() + 1);
        switch (pick(6)) {
            case 0:  // a byte changed
                if (!input.empty()) input[pick(input.size())] = static_cast<char>(pick(256));
                break;
            case 1:  // a byte removed
                if (!input.empty()) input.erase(pick(input.size()), 1);
                break;
            case 2:  // a token inserted
                input.insert(at, kTokens[pick(kTokens.size())]);
                break;
            case 3: {  // a piece repeated
                std::size_t from = pick(input.size() + 1), length = pick(64);
                std::string piece = input.substr(from, length);
                for (std::size_t times = 1 + pick(8); times > 0; --times) input.insert(at, piece);
                break;
            }
            case 4: {  // a piece of another seed
                const std::string& other = seeds[pick(seeds.size())];
                std::size_t from = pick(other.size() + 1);
                input.insert(at, other.substr(from, pick(256)));
                break;
            }
            default:  // a cut
                input.resize(at);
        }
    }
    return input;
}

void run_one(const std::string& input) {
    running = &input;
    ::alarm(kSecondsPerInput);
    try {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    } catch (const std::exception& e) {
        save_running();
        std::cerr << "fuzz: an input threw " << e.what() << "; saved as " << failure_file << "\n";
        std::exit(1);
    }
    ::alarm(0);
    running = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 1;
    std::vector<std::string> seeds;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--seconds" && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
            continue;
        }
        std::ifstream in(arg, std::ios::binary);
        if (!in) {
            std::cerr << "fuzz: cannot read seed " << arg << "\n";
            return 2;
        }
        std::ostringstream text;
        text << in.rdbuf();
        seeds.push_back(text.str());
    }
    if (seeds.empty()) seeds.emplace_back();
    std::string name = argv[0];
    name = name.substr(name.find_last_of('/') + 1);
    std::snprintf(failure_file, sizeof failure_file, "fuzz-failure-%s", name.c_str());
    rlimit memory{kMemoryLimit, kMemoryLimit};
    ::setrlimit(RLIMIT_AS, &memory);
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM})
        ::signal(sig, on_fatal_signal);

    auto start = std::chrono::steady_clock::now();
    for (const auto& seed : seeds) run_one(seed);
    std::mt19937 random(1);  // the same mutations every run: a failure comes back
    std::size_t runs = seeds.size();
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() <
           seconds) {
        const std::string& seed =
            seeds[std::uniform_int_distribution<std::size_t>(0, seeds.size() - 1)(random)];
        run_one(mutate(seed, seeds, random));
        ++runs;
    }
    std::cout << name << ": " << runs << " inputs (" << seeds.size() << " seeds), no finding\n";
    return 0;
}
