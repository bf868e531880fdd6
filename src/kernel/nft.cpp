#include "kernel/nft.hpp"

#include <nftables/libnftables.h>

#include "kernel/error.hpp"

namespace natlab {

void NftContext::Free::operator()(nft_ctx* ctx) const {
    nft_ctx_free(ctx);
}

NftContext::NftContext() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
    if (!ctx_) throw KernelError("creating an nftables context: out of memory");
    nft_ctx_buffer_output(ctx_.get());
    nft_ctx_buffer_error(ctx_.get());
}

NftContext::~NftContext() = default;

std::string NftContext::run(const std::string& commands, const std::string& what) {
    int rc = nft_run_cmd_from_buffer(ctx_.get(), commands.c_str());
    std::string output = nft_ctx_get_output_buffer(ctx_.get());
    std::string errors = nft_ctx_get_error_buffer(ctx_.get());
    if (rc != 0) {
        while (!errors.empty() && errors.back() == '\n') errors.pop_back();
        throw KernelError(what + ": nftables refused the rules:\n" + errors);
    }
    return output;
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

std::string NftContext::list_table(const std::string& family, const std::string& name) {
    int rc = nft_run_cmd_from_buffer(ctx_.get(), ("list table " + family + " " + name).c_str());
    nft_ctx_get_error_buffer(ctx_.get());  // drain: a missing table is not an error here
    return rc == 0 ? nft_ctx_get_output_buffer(ctx_.get()) : "";
}

std::string NftContext::list_json(const std::string& command) {
    unsigned flags = nft_ctx_output_get_flags(ctx_.get());
    nft_ctx_output_set_flags(ctx_.get(), flags | NFT_CTX_OUTPUT_JSON);
    int rc = nft_run_cmd_from_buffer(ctx_.get(), command.c_str());
    nft_ctx_get_error_buffer(ctx_.get());  // drain: a missing object is not an error here
    std::string out = rc == 0 ? nft_ctx_get_output_buffer(ctx_.get()) : "";
    nft_ctx_output_set_flags(ctx_.get(), flags);
    return out;
}

}  // namespace natlab
