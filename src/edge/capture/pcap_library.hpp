#pragma once
// libpcap, opened the first time a capture starts. Linked in, it and what
// Debian's build of it pulls in (D-Bus, libsystemd, gcrypt, three
// compressors: nine libraries) cost every natlab command ~2.7 ms of loading
// at start, while only capture uses it.
#include <pcap/pcap.h>

namespace natlab {

struct PcapLibrary {
    decltype(&::pcap_create) create;
    decltype(&::pcap_close) close;
    decltype(&::pcap_set_snaplen) set_snaplen;
    decltype(&::pcap_set_immediate_mode) set_immediate_mode;
    decltype(&::pcap_set_buffer_size) set_buffer_size;
    decltype(&::pcap_activate) activate;
    decltype(&::pcap_statustostr) statustostr;
    decltype(&::pcap_geterr) geterr;
    decltype(&::pcap_compile) compile;
    decltype(&::pcap_setfilter) setfilter;
    decltype(&::pcap_freecode) freecode;
    decltype(&::pcap_setnonblock) setnonblock;
    decltype(&::pcap_get_selectable_fd) get_selectable_fd;
    decltype(&::pcap_next_ex) next_ex;
    decltype(&::pcap_stats) stats;
};

// Loads libpcap once (thread-safe) and stays loaded; throws a runtime error
// naming the library and its package when it cannot be opened.
const PcapLibrary& pcap_library();

}  // namespace natlab
