#include "edge/kernel/nft.hpp"

#include <nftables/libnftables.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mutex>

#include "edge/kernel/netns.hpp"
#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {
namespace {

// libnftables keeps process-wide state beside its contexts (a one-time
// init, the interface-name cache every command fills and releases), and labs
// are built on several threads: one call into it at a time.
std::mutex& libnftables() {
    static std::mutex mutex;
    return mutex;
}

// libnftables ends the whole process (exit 3) when it cannot open its netlink
// socket: make sure descriptors are free first, so that natlab can say so and
// roll back instead.
void ensure_a_descriptor_is_free() {
    // Its start-up reads a few files of /etc/iproute2 before the socket.
    constexpr int kNeeded = 4;
    UniqueFd probes[kNeeded];
    for (auto& probe : probes) {
        probe.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        if (!probe) throw_errno("opening libnftables' netlink socket", errno);
    }
}

// libnftables marks the refused part of a rule under the first line of a
// buffer it was given (nftables 1.0.6), so a refusal of rule 14 showed
// `table ip natlab {`. Read from a file, the same error names its line and
// shows it: the commands go through an anonymous file.
UniqueFd commands_file(const std::string& commands) {
    UniqueFd fd(::memfd_create("nft-commands", MFD_CLOEXEC));
    if (!fd) throw_errno("making a file for nftables' commands", errno);
    std::size_t done = 0;
    while (done < commands.size()) {
        ssize_t n = ::write(fd.get(), commands.data() + done, commands.size() - done);
        if (n < 0) throw_errno("writing nftables' commands", errno);
        done += static_cast<std::size_t>(n);
    }
    return fd;
}

// "/proc/self/fd/7:14:37-68: Error: ..." reads "line 14:37-68: Error: ...".
std::string without_file_name(std::string errors, const std::string& file) {
    for (std::size_t at = errors.find(file + ":"); at != std::string::npos;
         at = errors.find(file + ":", at))
        errors.replace(at, file.size() + 1, "line ");
    return errors;
}

}  // namespace

void NftContext::Free::operator()(nft_ctx* ctx) const {
    std::lock_guard lock(libnftables());
    nft_ctx_free(ctx);
}

NftContext::NftContext() {
    std::lock_guard lock(libnftables());
    ensure_a_descriptor_is_free();
    ctx_.reset(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!ctx_) throw KernelError("creating an nftables context: out of memory");
    nft_ctx_buffer_output(ctx_.get());
    nft_ctx_buffer_error(ctx_.get());
}

NftContext::~NftContext() = default;

NftContext::Result NftContext::call(const std::string& commands) {
    UniqueFd file = commands_file(commands);
    const std::string path = "/proc/self/fd/" + std::to_string(file.get());
    std::lock_guard lock(libnftables());
    ensure_a_descriptor_is_free();
    int rc = nft_run_cmd_from_filename(ctx_.get(), path.c_str());
    // Reading a buffer also empties it for the next command.
    std::string errors = nft_ctx_get_error_buffer(ctx_.get());
    while (!errors.empty() && errors.back() == '\n') errors.pop_back();
    return {rc, nft_ctx_get_output_buffer(ctx_.get()), without_file_name(errors, path)};
}

std::string NftContext::run(const std::string& commands, const std::string& what) {
    Result result = call(commands);
    if (result.rc != 0) throw KernelError(what + ": nftables refused the rules:\n" + result.errors);
    return result.output;
}

std::string NftContext::refusal(const std::string& commands) {
    nft_ctx_set_dry_run(ctx_.get(), true);
    Result result = call(commands);
    nft_ctx_set_dry_run(ctx_.get(), false);
    return result.rc == 0 ? "" : result.errors;
}

bool NftContext::replace_table(const std::string& family, const std::string& name,
                               const std::string& text, const std::string& what) {
    // A deleted table is freed after an RCU grace period, which closing this
    // socket then waits for (~10 ms): only delete when there is a table.
    if (list_table(family, name).empty()) {
        run(text, what);
        return false;
    }
    // Delete and re-add commit as one transaction: no moment without rules.
    run("delete table " + family + " " + name + "\n" + text, what);
    return true;
}

// A missing table or object is not an error here: "" says it.
std::string NftContext::list_table(const std::string& family, const std::string& name) {
    Result result = call("list table " + family + " " + name);
    return result.rc == 0 ? result.output : "";
}

std::string NftContext::list_json(const std::string& command) {
    unsigned flags = nft_ctx_output_get_flags(ctx_.get());
    nft_ctx_output_set_flags(ctx_.get(), flags | NFT_CTX_OUTPUT_JSON);
    Result result = call(command);
    nft_ctx_output_set_flags(ctx_.get(), flags);
    return result.rc == 0 ? result.output : "";
}

std::vector<std::string> nft_refusals(const std::vector<std::string>& rulesets) {
    std::vector<std::string> refusals;
    in_scratch_netns([&] {
        // A context per ruleset: a dry run still leaves what it declared in
        // the context's cache, where the next ruleset's same-named set of
        // another type would clash with it.
        for (const auto& text : rulesets) refusals.push_back(NftContext().refusal(text));
    });
    return refusals;
}

}  // namespace natlab
