#include "edge/punch/matrix_run.hpp"

#include <iostream>
#include <stdexcept>

#include "core/names/unique_name.hpp"
#include "edge/punch/punch_pair.hpp"
#include "edge/system/interrupt_flag.hpp"
#include "edge/system/random.hpp"
#include "edge/use_cases/clean.hpp"
#include "edge/use_cases/create_lab.hpp"

namespace natlab {
namespace {

// Removes the lab however the run ends.
class Cleanup {
  public:
    explicit Cleanup(std::string lab) : lab_(std::move(lab)) {}
    ~Cleanup() {
        try {
            clean_lab_locked(lab_);
        } catch (const std::exception& e) {
            std::cerr << "natlab matrix: removing lab " << lab_ << " failed: " << e.what() << "\n";
        }
    }
    Cleanup(const Cleanup&) = delete;
    Cleanup& operator=(const Cleanup&) = delete;

  private:
    std::string lab_;
};

}  // namespace

MatrixResult run_matrix(const std::vector<MatrixType>& types, const std::string& name,
                        Family family) {
    InterruptFlag interrupt;  // Ctrl-C stops between punches and removes the lab
    LoadedLab loaded =
        load_lab_topology(matrix_topology(types, family),
                          name.empty() ? unique_lab_name("matrix", random_u32()) : name);
    create_lab(loaded, {});
    Cleanup cleanup(loaded.lab.name);
    MatrixResult result{loaded.lab.name, {}};
    for (const auto& a : types) {
        for (const auto& b : types) {
            if (interrupt.flag()->load())
                throw std::runtime_error("matrix interrupted; lab " + loaded.lab.name + " removed");
            result.cells.push_back(
                {a, b, punch_pair(loaded.lab, matrix_host(a, 1), matrix_host(b, 2), family)});
        }
    }
    return result;
}

}  // namespace natlab
