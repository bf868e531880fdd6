#include "edge/system/text_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "edge/system/error.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return "";
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_all(int fd, const std::string& data, const std::string& what) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(what, errno);
        done += static_cast<std::size_t>(n);
    }
}

void write_text_file(const std::string& path, const std::string& text) {
    UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!file) throw_errno("writing " + path, errno);
    write_all(file.get(), text, "writing " + path);
}

void replace_text_file(const std::string& path, const std::string& text) {
    std::string temporary = path + ".new-" + std::to_string(::getpid());
    try {
        write_text_file(temporary, text);
    } catch (...) {
        ::unlink(temporary.c_str());
        throw;
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temporary.c_str());
        throw_errno("writing " + path, err);
    }
}

}  // namespace natlab
