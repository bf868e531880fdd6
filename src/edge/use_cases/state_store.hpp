#pragma once
// Lab state on disk under /run/natlab/<lab>/: the journal of what was made
// and a copy of the topology it was made from.
#include <optional>
#include <string>
#include <vector>

#include "core/lifecycle/executor.hpp"
#include "core/lifecycle/state_format.hpp"
#include "core/names/paths.hpp"
#include "edge/system/fd.hpp"

namespace natlab {

// Journal backed by the state file; every record is one write(2), so a
// kill -9 loses nothing already recorded.
class StateJournal : public Journal {
  public:
    // Starts a new state directory; throws when the lab already has one.
    StateJournal(const std::string& lab, const std::string& source,
                 const std::string& topology_text);
    void record_namespaces(const std::vector<std::string>& namespaces) override;
    void record_container(const ContainerRecord& container) override;
    void record_leader(const std::string& node, const ProcessRecord& leader) override;
    void mark_complete();

  private:
    UniqueFd fd_;
    void append(const std::string& record);
};

// Appends one record to a live lab's journal (natlab set, natlab link).
void append_state_record(const std::string& lab, const std::string& record);
std::optional<LabState> load_state(const std::string& lab);
std::string load_topology_copy(const std::string& lab);
void remove_state(const std::string& lab);
std::vector<std::string> labs_with_state();

}  // namespace natlab
