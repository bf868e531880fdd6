#include "edge/capture/pcap_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace natlab {
namespace {

template <typename F>
void resolve(void* library, F& function, const char* name) {
    function = reinterpret_cast<F>(::dlsym(library, name));
    if (!function)
        throw std::runtime_error(std::string("libpcap (") + NATLAB_PCAP_SONAME + ") has no " +
                                 name + "; install Debian's libpcap0.8");
}

PcapLibrary load() {
    // Never closed: the handles it makes live until natlab ends.
    void* library = ::dlopen(NATLAB_PCAP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!library)
        throw std::runtime_error(std::string("capturing needs libpcap: ") + ::dlerror() +
                                 "; install it with 'apt-get install libpcap0.8'");
    PcapLibrary pcap{};
    resolve(library, pcap.create, "pcap_create");
    resolve(library, pcap.close, "pcap_close");
    resolve(library, pcap.set_snaplen, "pcap_set_snaplen");
    resolve(library, pcap.set_immediate_mode, "pcap_set_immediate_mode");
    resolve(library, pcap.set_buffer_size, "pcap_set_buffer_size");
    resolve(library, pcap.activate, "pcap_activate");
    resolve(library, pcap.statustostr, "pcap_statustostr");
    resolve(library, pcap.geterr, "pcap_geterr");
    resolve(library, pcap.compile, "pcap_compile");
    resolve(library, pcap.setfilter, "pcap_setfilter");
    resolve(library, pcap.freecode, "pcap_freecode");
    resolve(library, pcap.setnonblock, "pcap_setnonblock");
    resolve(library, pcap.get_selectable_fd, "pcap_get_selectable_fd");
    resolve(library, pcap.next_ex, "pcap_next_ex");
    resolve(library, pcap.stats, "pcap_stats");
    return pcap;
}

}  // namespace

const PcapLibrary& pcap_library() {
    static const PcapLibrary loaded = load();
    return loaded;
}

}  // namespace natlab
