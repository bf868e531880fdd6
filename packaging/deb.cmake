# The Debian package, built by CPack from the same CMake build (scripts/package):
# build/natlab_VERSION_ARCH.deb. Depends is computed by dpkg-shlibdeps from the
# libraries the binary links (libnftables, libnetfilter-conntrack, libmnl, libc);
# the programs natlab starts for a feature only when a lab asks for it are
# recommended.

# The project has no mail address of its own yet: .invalid (RFC 2606) says
# so; whoever publishes a package sets theirs.
set(NATLAB_MAINTAINER "natlab developers <natlab@natlab.invalid>" CACHE STRING
    "Maintainer field of the Debian package and its changelog")

# A native package's changelog, as policy 12.7 asks for one: the version and
# where its history is (git).
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.in ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
  COMMAND gzip -9nkf ${CMAKE_BINARY_DIR}/packaging/changelog
  DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog
  VERBATIM)
add_custom_target(changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)

# cpack packs what scripts/build made (natlab, manual, changelog); it builds
# nothing itself, so packing never waits for the test binaries.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME natlab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${NATLAB_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "network labs with NATs from a YAML topology")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "natlab turns a YAML topology into a working network lab on Linux: network
namespaces, veth links, bridges, addresses and routes set through netlink, NAT
nodes that behave as declared (every RFC 4787 mapping and filtering class,
pools, port blocks, presets, port mapping) through nftables, and
systemd-nspawn containers attached to the namespaces. It removes a lab
completely, also after a crash, and names file:line:column for every mistake
in a topology file.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libpcap is opened when a capture starts; the rest are the programs a lab
# starts when it declares containers, images, pictures, port mapping, a DNS
# server, DHCP, router advertisements or NAT64.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libpcap0.8, systemd-container, debootstrap, graphviz, miniupnpd-nftables, stun-server, unbound, dnsmasq-base, udhcpc, radvd, tayga")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "iproute2, nftables, conntrack")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR})
include(CPack)
