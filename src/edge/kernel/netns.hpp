#pragma once
// Named network namespaces under /run/netns, made the way iproute2 makes them
// so that `ip netns` sees and enters natlab's namespaces.
#include <functional>
#include <string>
#include <vector>

#include "edge/system/fd.hpp"

namespace natlab {

inline constexpr const char* kNetnsDir = "/run/netns";

std::string netns_path(const std::string& name);

// Makes /run/netns a shared mount point, so that the namespaces bound there
// are seen from every mount namespace (iproute2's protocol, ip/ipnetns.c):
// the first caller on the machine binds it onto itself, under an flock on
// the directory that iproute2 takes too. create_netns calls it once per
// process.
void share_netns_dir();

// Creates and binds a new namespace; returns an fd to it. `inside` runs on
// the calling thread while it is in the new namespace (sockets made there
// belong to it), before the namespace is bound under its name; afterwards,
// or when anything throws, the thread is back in its own namespace and
// nothing is bound. Throws KernelError (EEXIST when the name is taken).
UniqueFd create_netns(const std::string& name, const std::function<void()>& inside = {});
// Unbinds and removes the name; a name already gone counts as removed.
void delete_netns(const std::string& name);
// An fd of an existing named namespace, or an invalid fd if there is none.
UniqueFd open_netns(const std::string& name);
bool netns_exists(const std::string& name);
// True when the name is an empty file that no namespace is bound to: what a
// create killed between making the file and binding the namespace leaves.
bool netns_placeholder(const std::string& name);
std::vector<std::string> list_netns();

// Runs `fn` on a thread of its own in a new, empty network namespace, which
// goes with the thread: to ask what this kernel's namespaces have before a
// lab is made. Rethrows what `fn` throws.
void in_scratch_netns(const std::function<void()>& fn);

// Moves the calling thread into a namespace for the guard's lifetime. Open
// sockets inside the guard: a socket belongs to the namespace it was made in.
class NetnsGuard {
  public:
    NetnsGuard(int netns_fd, const std::string& netns_name);
    ~NetnsGuard();
    NetnsGuard(const NetnsGuard&) = delete;
    NetnsGuard& operator=(const NetnsGuard&) = delete;

  private:
    UniqueFd original_;
};

}  // namespace natlab
