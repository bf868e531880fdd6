#include "core/plan/step.hpp"

#include "core/condition/describe_condition.hpp"
#include "core/topology/node_interface.hpp"
#include "core/util/text.hpp"

namespace natlab {
namespace {

std::string in(const std::string& netns) {
    return " in namespace " + netns;
}

struct Describer {
    std::string operator()(const CreateNetns& s) const { return "creating namespace " + s.netns; }
    std::string operator()(const CreateVeth& s) const {
        return "creating veth pair " + NodeInterface{s.node_a, s.ifname_a}.str() + " <-> " +
               NodeInterface{s.node_b, s.ifname_b}.str();
    }
    std::string operator()(const CreateBridge& s) const {
        return "creating bridge " + NodeInterface{s.node, s.ifname}.str() + in(s.netns);
    }
    std::string operator()(const AttachToBridge& s) const {
        return "attaching " + NodeInterface{s.node, s.port}.str() + " to bridge " + s.bridge +
               in(s.netns);
    }
    std::string operator()(const SetSysctl& s) const {
        return "setting " + s.key + "=" + s.value + in(s.netns);
    }
    std::string operator()(const AddAddress& s) const {
        return "adding " + s.address.str() + " to " + NodeInterface{s.node, s.ifname}.str() +
               in(s.netns);
    }
    std::string operator()(const SetLinkUp& s) const {
        return "bringing up " + NodeInterface{s.node, s.ifname}.str() + in(s.netns);
    }
    std::string operator()(const SetLinkCondition& s) const {
        std::string what = describe_condition(s.condition);
        return (what.empty() ? "removing the conditions of " : "setting " + what + " on ") +
               NodeInterface{s.node, s.ifname}.str() + in(s.netns);
    }
    std::string operator()(const AddRoute& s) const {
        std::string dest =
            s.destination.prefix == 0 ? "default route" : "route to " + s.destination.str();
        std::string via = s.gateway ? " via " + s.gateway->str() : "";
        std::string on = s.device.empty() ? " on " + s.node
                                          : (s.gateway ? " on " : " through ") +
                                                NodeInterface{s.node, s.device}.str();
        return "adding " + dest + via + on + in(s.netns);
    }
    std::string operator()(const AddProxyNeighbour& s) const {
        return "answering neighbour solicitations for " + s.address.str() + " on " +
               NodeInterface{s.node, s.ifname}.str() + in(s.netns);
    }
    std::string operator()(const ApplyRuleset& s) const {
        return "loading nftables table " + s.family + " " + s.table + " on " + s.node + in(s.netns);
    }
    std::string operator()(const StartPortMapping& s) const {
        std::vector<std::string> names;
        for (auto p : s.service.protocols)
            names.push_back(p == MappingProtocol::upnp ? "UPnP IGD" : "NAT-PMP and PCP");
        return "starting the port-mapping service (" + join(names, ", ") + ") of " + s.node +
               in(s.netns);
    }
    std::string operator()(const StartDaemon& s) const {
        return "starting the " + s.daemon.service + " (" + s.daemon.argv.front() + ") of " +
               s.node + in(s.netns);
    }
    std::string operator()(const AwaitAddress& s) const {
        return "waiting for " + s.node + ":" + s.ifname + " to take an address of " +
               s.prefix.str() + " from router advertisements" + in(s.netns);
    }
    std::string operator()(const StartContainer& s) const {
        return "starting container " + s.machine + " (" +
               (s.container.host_root() ? "host tree" : s.container.root) + ")" + in(s.netns);
    }
};

}  // namespace

std::string describe(const Step& step) {
    return std::visit(Describer{}, step);
}

}  // namespace natlab
