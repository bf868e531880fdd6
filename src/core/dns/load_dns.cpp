#include "core/dns/load_dns.hpp"

#include <cctype>
#include <map>

#include "core/util/text.hpp"

namespace natlab {
namespace {

const char* const kExample =
    "dns: true, or dns: {dns64: 64:ff9b::/96, records: {www.example.com: 203.0.113.10}}";
const std::vector<std::string> kKeys = {"dns64", "records"};

// DNS compares names without case; the zone holds them in lower case.
std::string lower_case(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

void load_dns64(YamlReader& reader, const YAML::Node& value, DnsSpec& out) {
    if (!reader.scalar(value, "'dns64'")) return;
    const std::string& text = value.Scalar();
    auto cidr = Cidr::parse(text);
    const std::string fix =
        "; write an IPv6 /96 such as 64:ff9b::/96 (the well-known prefix) or "
        "2001:db8:64::/96";
    if (!cidr) {
        reader.diag().error(at(value), "dns64 " + quote(text) + " is not a prefix" + fix);
    } else if (cidr->address.family != Family::ipv6 || cidr->prefix != 96) {
        reader.diag().error(at(value),
                            "dns64 " + quote(text) +
                                " is not an IPv6 /96; natlab synthesizes AAAA as the prefix "
                                "followed by the 32 bits of the IPv4 address (RFC 6052)" +
                                fix);
    } else if (!cidr->is_network()) {
        reader.diag().error(at(value), "dns64 " + quote(text) + " has host bits set; write " +
                                           cidr->network().str());
    } else {
        out.dns64 = Marked<Cidr>{*cidr, at(value)};
    }
}

void load_addresses(YamlReader& reader, const YAML::Node& value, DnsRecordSpec& record) {
    for (const auto& item : reader.scalars(value, "a record's address")) {
        if (auto ip = IpAddress::parse(item.value); ip && !ip->is_ipv6_link_local()) {
            record.addresses.push_back({*ip, item.pos});
            continue;
        }
        reader.diag().error(item.pos, "address " + quote(item.value) + " of name " +
                                          quote(record.name.value) +
                                          " is not an address a name can have; write an IPv4 or "
                                          "IPv6 address such as 203.0.113.10 or 2001:db8::10");
    }
    if (record.addresses.empty() && value.IsSequence() && value.size() == 0)
        reader.diag().error(at(value), "name " + quote(record.name.value) +
                                           " has no address; give it one or a list of them");
}

void load_records(YamlReader& reader, const YAML::Node& records, DnsSpec& out) {
    if (!reader.expect(records, YAML::NodeType::Map, "'records'",
                       "records: {www.example.com: [203.0.113.10, 2001:db8::10]}"))
        return;
    std::map<std::string, SourcePos> seen;
    for (auto it = records.begin(); it != records.end(); ++it) {
        if (!reader.scalar(it->first, "a name")) continue;
        DnsRecordSpec record;
        record.name = reader.marked(it->first);
        std::string name = lower_case(record.name.value);
        if (name.ends_with('.')) name.pop_back();
        if (auto problem = domain_name_problem(name); !problem.empty()) {
            reader.diag().error(record.name.pos, "name " + quote(record.name.value) + " " +
                                                     problem +
                                                     "; write a fully-qualified name such as "
                                                     "www.example.com");
            continue;
        }
        if (auto [prev, fresh] = seen.emplace(name, record.name.pos); !fresh) {
            reader.diag().error(record.name.pos, "name " + quote(record.name.value) +
                                                     " is declared twice (first at line " +
                                                     std::to_string(prev->second.line) +
                                                     "); give it one list of addresses");
            continue;
        }
        record.name.value = name;
        load_addresses(reader, it->second, record);
        out.records.push_back(std::move(record));
    }
}

}  // namespace

std::string domain_name_problem(std::string_view name) {
    if (name.empty()) return "is empty";
    if (name.size() > 253) return "is longer than DNS allows (253 bytes)";
    std::size_t labels = 0;
    for (std::size_t start = 0; start <= name.size();) {
        std::size_t end = name.find('.', start);
        if (end == std::string_view::npos) end = name.size();
        std::string_view label = name.substr(start, end - start);
        if (label.empty()) return "has an empty label (two dots, or a dot first)";
        if (label.size() > 63) return "has a label longer than 63 bytes";
        for (char c : label)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
                return "holds " + quote(std::string(1, c)) +
                       ", which is not a letter, digit, '-' or '_'";
        if (label.front() == '-' || label.back() == '-')
            return "has a label that starts or ends with '-'";
        ++labels;
        start = end + 1;
    }
    if (labels < 2) return "is a single label, which the lab's search domain would take over";
    return "";
}

std::optional<DnsSpec> load_dns(YamlReader& reader, const YAML::Node& section) {
    DnsSpec out;
    out.pos = at(section);
    if (section.IsScalar()) {
        if (section.Scalar() == "true") return out;
        if (section.Scalar() == "false") return std::nullopt;
        reader.diag().error(at(section), "'dns' must be true, false or a mapping, got " +
                                             quote(section.Scalar()) + "; write " + kExample);
        return std::nullopt;
    }
    if (!reader.expect(section, YAML::NodeType::Map, "'dns'", kExample)) return std::nullopt;
    reader.check_keys(section, kKeys, "in 'dns'");
    if (auto dns64 = field(section, "dns64")) load_dns64(reader, dns64, out);
    if (auto records = field(section, "records")) load_records(reader, records, out);
    return out;
}

}  // namespace natlab
