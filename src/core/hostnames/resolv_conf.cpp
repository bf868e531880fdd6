#include "core/hostnames/resolv_conf.hpp"

namespace natlab {

std::string resolv_conf(const Lab& lab) {
    return "# Lab " + lab.name +
           ", written by natlab: the lab's names are in /etc/hosts; no DNS server\n"
           "# runs in the lab, and nothing listens on 127.0.0.1 unless you start it.\n"
           "search " +
           lab.name + "\nnameserver 127.0.0.1\n";
}

}  // namespace natlab
