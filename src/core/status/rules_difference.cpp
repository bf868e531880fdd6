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

Table read_table(const std::string& text) {
    Table table;
    std::istringstream in(text);
    Block* block = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (starts_with(line, "table ")) {
            table.exists = true;
        } else if (starts_with(line, "\t\t")) {
            if (block) block->lines.push_back(trimmed(line));
        } else if (starts_with(line, "\t") && line.size() > 2 && line.back() == '{') {
            std::istringstream words(line);
            std::string kind, name;
            words >> kind >> name;
            block = &table.objects[{kind, name}];
        } else if (line == "\t}") {
            block = nullptr;
        }
    }
    for (auto& [key, b] : table.objects) b.lines = declared_lines(b.lines);
    return table;
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
    Table want = read_table(declared);
    Table have = read_table(live);
    if (!have.exists) return {"table ip natlab is missing"};
    std::vector<std::string> out;
    for (const auto& [key, block] : want.objects) {
        const auto& [kind, name] = key;
        auto found = have.objects.find(key);
        if (found == have.objects.end())
            out.push_back(kind + " " + name + " is missing");
        else if (kind == "chain") {
            if (auto d = chain_difference(name, block, found->second); !d.empty()) out.push_back(d);
        } else if (found->second.lines != block.lines) {
            out.push_back(kind + " " + name + " is not as declared");
        }
    }
    for (const auto& [key, block] : have.objects)
        if (!want.objects.count(key))
            out.push_back(key.first + " " + key.second + " is not declared");
    return out;
}

}  // namespace natlab
