// Addresses and prefixes as a file or a command line writes them: what
// parses prints as text that parses back to the same value.
#include "core/util/ip.hpp"
#include "fuzz_target.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text = fuzz::text_of(data, size);
    if (auto ip = IpAddress::parse(text)) {
        if (IpAddress::parse(ip->str()) != ip) fuzz::broken(text + " prints as " + ip->str());
    }
    if (auto cidr = Cidr::parse(text)) {
        if (Cidr::parse(cidr->str()) != cidr) fuzz::broken(text + " prints as " + cidr->str());
        if (!cidr->network().is_network() || !cidr->contains(cidr->address))
            fuzz::broken(text + ": its network does not hold it");
        reserved_range(cidr->network());
        cidr->host(1);
    }
    return 0;
}
