#include "edge/use_cases/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "edge/system/error.hpp"
#include "edge/use_cases/state_store.hpp"

namespace natlab {

LabLock::LabLock(const std::string& lab) : path_(std::string(kStateRoot) + "/" + lab + ".lock") {
    if (::mkdir(kStateRoot, 0755) != 0 && errno != EEXIST)
        throw_errno("creating " + std::string(kStateRoot), errno);
    for (;;) {
        fd_ = UniqueFd(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
        if (!fd_) throw_errno("opening lock " + path_, errno);
        while (::flock(fd_.get(), LOCK_EX) != 0) {
            if (errno != EINTR) throw_errno("locking " + path_, errno);
        }
        // The holder before us may have removed the file: then our lock is on
        // an orphaned inode and we must lock the current file instead.
        struct stat held {
        }, current{};
        if (::fstat(fd_.get(), &held) == 0 && ::stat(path_.c_str(), &current) == 0 &&
            held.st_ino == current.st_ino && held.st_dev == current.st_dev) {
            return;
        }
    }
}

LabLock::~LabLock() = default;  // closing the fd releases the lock

void LabLock::remove_file() {
    ::unlink(path_.c_str());
}

}  // namespace natlab
