#include "core/nat/validate_nat64.hpp"

#include "core/input/values.hpp"
#include "core/util/text.hpp"

namespace natlab {

std::string non_global_ipv4(const IpAddress& address) {
    // tayga 0.9.2's list (is_private_ip4_addr), which it applies to the
    // well-known prefix alone.
    struct Range {
        const char* cidr;
        const char* what;
    };
    static const Range kRanges[] = {
        {"10.0.0.0/8", "private (10.0.0.0/8, RFC 1918)"},
        {"172.16.0.0/12", "private (172.16.0.0/12, RFC 1918)"},
        {"192.168.0.0/16", "private (192.168.0.0/16, RFC 1918)"},
        {"192.0.2.0/24", "documentation (192.0.2.0/24, RFC 5737)"},
        {"198.51.100.0/24", "documentation (198.51.100.0/24, RFC 5737)"},
        {"203.0.113.0/24", "documentation (203.0.113.0/24, RFC 5737)"},
        {"198.18.0.0/15", "benchmarking (198.18.0.0/15, RFC 2544)"},
    };
    if (address.family != Family::ipv4) return "";
    for (const auto& r : kRanges)
        if (Cidr::parse(r.cidr)->contains(address)) return r.what;
    return "";
}

namespace {

class Nat64Checker {
  public:
    Nat64Checker(const Nat64Input& in, Diagnostics& diag) : in_(in), diag_(diag) {}

    std::optional<Nat64Side> run() {
        const Nat64Spec& spec = *in_.written;
        if (spec.enabled && !read_boolean(*spec.enabled, "nat64", diag_)) return std::nullopt;
        Nat64Side side;
        side.prefix = *Cidr::parse(kWellKnownPrefix);
        side.pool = *Cidr::parse(kDefaultNat64Pool);
        bool ok = true;
        if (spec.prefix) ok = prefix(*spec.prefix, side.prefix) && ok;
        if (spec.pool) ok = pool(*spec.pool, side.pool) && ok;
        if (!ok) return std::nullopt;
        if (in_.inside_ipv6.empty()) {
            diag_.error(spec.pos, "nat64" + of_node() +
                                      " has no IPv6 network behind it, so no host can reach its "
                                      "prefix; give the link to its hosts an IPv6 subnet");
            return std::nullopt;
        }
        if (!pool_is_free(side.pool, spec.pool ? spec.pool->pos : spec.pos)) return std::nullopt;
        if (side.well_known() && !global_destinations(spec.prefix ? spec.prefix->pos : spec.pos))
            return std::nullopt;
        side.ipv4_address = side.pool.host(1)->address;
        side.ipv6_address = *IpAddress::parse("fd64::" + side.ipv4_address.str());
        return side;
    }

  private:
    const Nat64Input& in_;
    Diagnostics& diag_;

    std::string of_node() const { return " of nat node " + quote(in_.nat_name); }

    bool prefix(const Marked<std::string>& written, Cidr& out) {
        auto cidr = Cidr::parse(written.value);
        if (!cidr || cidr->address.family != Family::ipv6) {
            diag_.error(written.pos, "nat64 prefix " + quote(written.value) + of_node() +
                                         " is not an IPv6 prefix; write e.g. 2001:db8:64::/96");
            return false;
        }
        if (cidr->prefix != 96) {
            diag_.error(written.pos,
                        "nat64 prefix " + quote(written.value) + of_node() +
                            " must be a /96 (the IPv4 address is its last 32 bits, RFC 6052 "
                            "section 2.2); write e.g. " +
                            Cidr{cidr->address, 96}.network().str());
            return false;
        }
        if (!cidr->is_network()) {
            diag_.error(written.pos, "nat64 prefix " + quote(written.value) + of_node() +
                                         " has host bits set; write " + cidr->network().str());
            return false;
        }
        if (Cidr::parse("64:ff9b:1::/48")->contains(cidr->address)) {
            diag_.error(written.pos,
                        "nat64 prefix " + quote(written.value) + of_node() +
                            " is in the local-use 64:ff9b:1::/48 (RFC 8215), which tayga 0.9.2 "
                            "refuses as reserved; use a prefix of the lab's own such as "
                            "2001:db8:64::/96");
            return false;
        }
        if (auto range = reserved_range(*cidr); !range.empty()) {
            diag_.error(written.pos, "nat64 prefix " + quote(written.value) + of_node() + " is " +
                                         range + "; use e.g. 2001:db8:64::/96");
            return false;
        }
        out = *cidr;
        return true;
    }

    bool pool(const Marked<std::string>& written, Cidr& out) {
        auto cidr = Cidr::parse(written.value);
        if (!cidr || cidr->address.family != Family::ipv4 || cidr->prefix < 8 ||
            cidr->prefix > 30) {
            diag_.error(written.pos, "nat64 pool " + quote(written.value) + of_node() +
                                         " is not an IPv4 network of /8 to /30; write e.g. " +
                                         kDefaultNat64Pool);
            return false;
        }
        if (!cidr->is_network()) {
            diag_.error(written.pos, "nat64 pool " + quote(written.value) + of_node() +
                                         " has host bits set; write " + cidr->network().str());
            return false;
        }
        out = *cidr;
        return true;
    }

    // The pool is routed to tayga inside the node: a subnet of the lab
    // there would be unreachable from it.
    bool pool_is_free(const Cidr& pool, SourcePos pos) {
        for (const auto& node : in_.lab_nodes)
            for (const auto& a : node.addresses)
                if (a.address.family == Family::ipv4 && a.network().overlaps(pool)) {
                    diag_.error(pos, "nat64 pool " + pool.str() + of_node() + " meets " +
                                         a.network().str() + " of node " + quote(node.node) +
                                         "; give 'nat64: {pool: ...}' a network the lab does "
                                         "not use");
                    return false;
                }
        return true;
    }

    // RFC 6052 section 3.1: the well-known prefix stands for global IPv4
    // addresses only, and tayga answers any other with "no route". A lab
    // whose IPv4 "internet" is documentation or private space needs a
    // network-specific prefix, which reaches every address.
    bool global_destinations(SourcePos pos) {
        for (const auto& node : in_.lab_nodes) {
            if (node.node == in_.nat_name) continue;
            for (const auto& a : node.addresses) {
                if (behind(a.address)) continue;
                std::string why = non_global_ipv4(a.address);
                if (why.empty()) continue;
                diag_.error(pos, "nat64" + of_node() + " uses the well-known prefix " +
                                     kWellKnownPrefix +
                                     ", which reaches global IPv4 addresses only "
                                     "(RFC 6052 section 3.1; tayga refuses the others), and node " +
                                     quote(node.node) + " holds " + a.address.str() + ", " + why +
                                     "; declare a network-specific prefix: nat64: {prefix: "
                                     "2001:db8:64::/96}");
                return false;
            }
        }
        return true;
    }

    bool behind(const IpAddress& address) const {
        for (const auto& net : in_.inside_ipv4)
            if (net.contains(address)) return true;
        return false;
    }
};

}  // namespace

std::optional<Nat64Side> check_nat64(const Nat64Input& in, Diagnostics& diag) {
    if (!in.written) return std::nullopt;
    return Nat64Checker(in, diag).run();
}

}  // namespace natlab
