#include "edge/kernel/nft.hpp"

#include <nftables/libnftables.h>

#include <fcntl.h>

#include <mutex>

#include "edge/kernel/error.hpp"
#include "edge/kernel/fd.hpp"

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
    std::lock_guard lock(libnftables());
    ensure_a_descriptor_is_free();
    int rc = nft_run_cmd_from_buffer(ctx_.get(), commands.c_str());
    // Reading a buffer also empties it for the next command.
    return {rc, nft_ctx_get_output_buffer(ctx_.get()), nft_ctx_get_error_buffer(ctx_.get())};
}

std::string NftContext::run(const std::string& commands, const std::string& what) {
    Result result = call(commands);
    if (result.rc != 0) {
        while (!result.errors.empty() && result.errors.back() == '\n') result.errors.pop_back();
        throw KernelError(what + ": nftables refused the rules:\n" + result.errors);
    }
    return result.output;
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

}  // namespace natlab
