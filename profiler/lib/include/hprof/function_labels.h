// The names the tables print for functions: pstats' "file:line(function)", "~:0(function)" when
// the file is unknown (as pstats writes built-ins).
#pragma once

#include "hprof/profile.h"

#include <string>
#include <vector>

namespace hprof {

// Labels for every function of a profile. pstats keys a row by its label, so two functions that
// would print the same label (an inline function compiled into the executable and into a shared
// library, `main` of two programs of the run) get the module that tells them apart appended:
// "samples/burn.h:25(burn(double)) [libsplitwork.so]".
class FunctionLabels {
  public:
    explicit FunctionLabels(const Profile& profile);
    const std::string& operator[](FunctionId function) const { return labels_[function.value]; }

  private:
    std::vector<std::string> labels_;
};

// The label without disambiguation.
std::string plainLabel(const Function& function);

} // namespace hprof
