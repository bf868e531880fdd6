#pragma once
// A conntrack flow in two ways: the raw facts in one line, and what they mean
// for a NAT in plain words ("c0 10.0.1.2:41807 is now mapped to ..."). Pure.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/conntrack/flow.hpp"
#include "core/topology/lab.hpp"

namespace natlab {

// Which node owns each address of a lab, to name endpoints in sentences.
using AddressBook = std::map<IpAddress, std::string>;
AddressBook address_book(const Lab& lab);

// The node that owns the endpoint's address, if a node does.
std::optional<std::string> owner(const Endpoint& e, const AddressBook& names);
// "c0 10.0.1.2:41807" when a node owns the address, else the endpoint alone.
std::string named(const Endpoint& e, const AddressBook& names);

// "[NEW] udp 10.0.1.2:41807 -> 100.64.2.100:54321 reply 100.64.2.100:54321 -> 100.64.1.100:41807
// timeout 30 UNREPLIED"
std::string raw_line(const ConntrackFlow& flow);

// The translation a flow carries, in the NAT's terms; nullopt when it has none.
struct Translation {
    Endpoint inside, outside, remote;
    bool inbound = false;  // opened from outside (a forward or a cone's open mapping)
};
std::optional<Translation> translation_of(const ConntrackFlow& flow);

// "c0 10.0.1.2:41807 is now mapped to 100.64.1.100:41807 for 100.64.2.100:54321; no reply yet,
// forgotten in 30 s"
std::string meaning(const ConntrackFlow& flow, const AddressBook& names);

// One JSON object per event: the raw facts and the meaning.
nlohmann::json flow_json(const ConntrackFlow& flow, const AddressBook& names);

}  // namespace natlab
