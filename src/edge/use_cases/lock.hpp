#pragma once
// Serialises natlab commands on one lab: an flock on /run/natlab/<lab>.lock.
#include <string>

#include "edge/system/fd.hpp"

namespace natlab {

class LabLock {
  public:
    explicit LabLock(const std::string& lab);  // blocks until acquired
    ~LabLock();
    LabLock(const LabLock&) = delete;
    LabLock& operator=(const LabLock&) = delete;
    // Removes the lock file while still holding it (after a clean), so that
    // no debris is left; waiters notice and lock the new file.
    void remove_file();

  private:
    std::string path_;
    UniqueFd fd_;
};

}  // namespace natlab
