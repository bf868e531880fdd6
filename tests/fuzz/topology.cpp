// The topology file: YAML read, loaded, checked and planned. A lab that
// passes is written back (emit_yaml) and must load into the same plan.
#include "core/lifecycle/loaded_lab.hpp"
#include "core/render/render.hpp"
#include "core/topology/emit_yaml.hpp"
#include "core/topology/load.hpp"
#include "fuzz_target.hpp"

using namespace natlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text = fuzz::text_of(data, size);
    Diagnostics diag("fuzz.yaml");
    Topology topo = load_topology(text, "fuzz.yaml", diag);
    LoadedLab lab;
    try {
        lab = plan_topology(topo, text, diag);
    } catch (const InvalidInput&) {
        return 0;  // refused, with a message
    }
    std::string copy = emit_yaml(topo);
    try {
        if (render_shell(load_lab_text(copy, "copy.yaml").plan) != render_shell(lab.plan))
            fuzz::broken("the written-back topology plans another lab:\n" + copy);
    } catch (const InvalidInput& e) {
        fuzz::broken("the written-back topology is refused: " + std::string(e.what()) + "\n" +
                     copy);
    }
    return 0;
}
