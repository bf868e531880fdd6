#pragma once
// nftables through libnftables, in the namespace the context was made in.
#include <memory>
#include <string>
#include <vector>

struct nft_ctx;

namespace natlab {

class NftContext {
  public:
    // Make it inside a NetnsGuard: its netlink socket belongs to that namespace.
    NftContext();
    ~NftContext();
    NftContext(const NftContext&) = delete;
    NftContext& operator=(const NftContext&) = delete;

    // Replaces table `family name` with the one in `text` atomically (or just
    // loads it when there is none yet). True when an old table was replaced.
    bool replace_table(const std::string& family, const std::string& name, const std::string& text,
                       const std::string& what);
    // The live table as nft prints it, or "" when it does not exist.
    std::string list_table(const std::string& family, const std::string& name);
    // A list command's output as libnftables' JSON ("nft -j list set ..."),
    // or "" when the object does not exist.
    std::string list_json(const std::string& command);
    // Runs nft commands; throws with nft's own error text.
    std::string run(const std::string& commands, const std::string& what);
    // What the kernel says to the commands, which it checks and then drops
    // (nft --check): "" when it would take them, else nft's error text.
    std::string refusal(const std::string& commands);

  private:
    struct Result {
        int rc;
        std::string output, errors;
    };
    Result call(const std::string& commands);

    struct Free {
        void operator()(nft_ctx* ctx) const;
    };
    std::unique_ptr<nft_ctx, Free> ctx_;
};

// What this kernel says to each ruleset, checked in a scratch namespace and
// dropped (nft --check): "" for one it would take, else nft's error text.
std::vector<std::string> nft_refusals(const std::vector<std::string>& rulesets);

}  // namespace natlab
