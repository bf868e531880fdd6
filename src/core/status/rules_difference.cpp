#include "core/status/rules_difference.hpp"

#include <map>
#include <regex>
#include <sstream>
#include <utility>

namespace natlab {
namespace {

// One object of a listed table ("\tchain postrouting {" to "\t}"): the lines
// inside it, as learnt state leaves them.
struct Block {
    std::vector<std::string> lines;
};

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// Counters count packets as they pass: "packets 12 bytes 3456" in a rule or
// a named counter is no part of what was declared.
std::string without_counts(const std::string& line) {
    static const std::regex counts("packets [0-9]+ bytes [0-9]+");
    return std::regex_replace(line, counts, "packets 0 bytes 0");
}

// A dynamic set's elements are what the rules learnt: dropped, with the
// lines nft wraps a long "elements = { ... }" onto.
std::vector<std::string> declared_lines(const std::vector<std::string>& lines) {
    bool dynamic = false;
    for (const auto& l : lines)
        if (starts_with(l, "flags ") && l.find("dynamic") != std::string::npos) dynamic = true;
    std::vector<std::string> out;
    bool in_elements = false;
    for (const auto& l : lines) {
        if (!in_elements && dynamic && starts_with(l, "elements = {")) in_elements = true;
        if (in_elements) {
            if (!l.empty() && l.back() == '}') in_elements = false;
            continue;
        }
        out.push_back(without_counts(l));
    }
    return out;
}

struct Table {
    bool exists = false;
    std::map<std::pair<std::string, std::string>, Block> objects;  // by (kind, name)
};

std::string trimmed(const std::string& line) {
    auto first = line.find_first_not_of(" \t");
    return first == std::string::npos ? "" : line.substr(first);
}

// Each table of the text by its family ("ip", "ip6").
std::map<std::string, Table> read_tables(const std::string& text) {
    std::map<std::string, Table> tables;
    Table* table = nullptr;
    std::istringstream in(text);
    Block* block = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (starts_with(line, "table ")) {
            std::istringstream words(line);
            std::string word, family;
            words >> word >> family;
            table = &tables[family];
            table->exists = true;
        } else if (!table) {
            continue;
        } else if (starts_with(line, "\t\t")) {
            if (block) block->lines.push_back(trimmed(line));
        } else if (starts_with(line, "\t") && line.size() > 2 && line.back() == '{') {
            std::istringstream words(line);
            std::string kind, name;
            words >> kind >> name;
            block = &table->objects[{kind, name}];
        } else if (line == "\t}") {
            block = nullptr;
        }
    }
    for (auto& [family, t] : tables)
        for (auto& [key, b] : t.objects) b.lines = declared_lines(b.lines);
    return tables;
}

// A base chain's first line says where it hooks: "type nat hook ...".
std::vector<std::string> rules_of(const std::vector<std::string>& lines) {
    std::vector<std::string> rules;
    for (const auto& l : lines)
        if (!starts_with(l, "type ")) rules.push_back(l);
    return rules;
}

std::string rules_count(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " rule" : " rules");
}

// How chain `name` differs, or "".
std::string chain_difference(const std::string& name, const Block& want, const Block& have) {
    if (want.lines == have.lines) return "";
    std::vector<std::string> wanted = rules_of(want.lines), held = rules_of(have.lines);
    if (wanted.size() != held.size())
        return "chain " + name + " has " + rules_count(held.size()) + " where " +
               std::to_string(wanted.size()) + (wanted.size() == 1 ? " is" : " are") + " declared";
    for (std::size_t i = 0; i < wanted.size(); ++i)
        if (wanted[i] != held[i])
            return "rule " + std::to_string(i + 1) + " of chain " + name + " is not as declared";
    return "chain " + name + " hooks in otherwise than declared";
}

}  // namespace

std::vector<std::string> rules_differences(const std::string& declared, const std::string& live) {
    std::map<std::string, Table> want = read_tables(declared), have = read_tables(live);
    std::vector<std::string> out;
    for (const auto& [family, table] : want) {
        auto held = have.find(family);
        if (held == have.end()) {
            out.push_back("table " + family + " natlab is missing");
            continue;
        }
        // The IPv4 table is the one every NAT has; the other is named.
        const std::string in = family == "ip" ? "" : "table " + family + " natlab: ";
        for (const auto& [key, block] : table.objects) {
            const auto& [kind, name] = key;
            auto found = held->second.objects.find(key);
            if (found == held->second.objects.end())
                out.push_back(in + kind + " " + name + " is missing");
            else if (kind == "chain") {
                if (auto d = chain_difference(name, block, found->second); !d.empty())
                    out.push_back(in + d);
            } else if (found->second.lines != block.lines) {
                out.push_back(in + kind + " " + name + " is not as declared");
            }
        }
        for (const auto& [key, block] : held->second.objects)
            if (!table.objects.count(key))
                out.push_back(in + key.first + " " + key.second + " is not declared");
    }
    for (const auto& [family, table] : have)
        if (!want.count(family)) out.push_back("table " + family + " natlab is not declared");
    return out;
}

}  // namespace natlab
