#include "core/container/image.hpp"

#include <algorithm>
#include <cctype>

#include "core/util/text.hpp"

namespace natlab {

const std::vector<std::string>& image_base_packages() {
    static const std::vector<std::string> packages = {"systemd",   "systemd-sysv",   "dbus",
                                                      "iproute2",  "iputils-ping",   "nftables",
                                                      "conntrack", "netcat-openbsd", "procps"};
    return packages;
}

namespace {

// Debian policy: lower case letters, digits, + - . ; at least two characters.
bool is_package_name(const std::string& name) {
    if (name.size() < 2 || !std::isalnum(static_cast<unsigned char>(name.front()))) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    });
}

bool is_suite_name(const std::string& suite) {
    return !suite.empty() && std::all_of(suite.begin(), suite.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '-';
    });
}

}  // namespace

std::string image_spec_problem(const ImageSpec& spec) {
    if (!spec.directory.starts_with("/") || spec.directory == "/")
        return "the image directory " + quote(spec.directory) +
               " must be an absolute path other than /, e.g. /var/lib/natlab/bookworm";
    if (!is_suite_name(spec.suite))
        return "suite " + quote(spec.suite) + " is not a Debian suite name; use e.g. bookworm";
    for (const auto& p : spec.packages)
        if (!is_package_name(p))
            return "package " + quote(p) +
                   " is not a Debian package name (lower case letters, digits, + - .)";
    if (!spec.mirror.starts_with("http://") && !spec.mirror.starts_with("https://") &&
        !spec.mirror.starts_with("file:/"))
        return "mirror " + quote(spec.mirror) + " must be an http(s):// or file:/ URL";
    return "";
}

std::vector<std::string> debootstrap_arguments(const ImageSpec& spec) {
    std::vector<std::string> include = image_base_packages();
    for (const auto& p : spec.packages)
        if (std::find(include.begin(), include.end(), p) == include.end()) include.push_back(p);
    return {"debootstrap", "--variant=minbase", "--include=" + join(include, ","),
            spec.suite,    spec.directory,      spec.mirror};
}

}  // namespace natlab
