#include "module_map.h"

#include <algorithm>

namespace hprof {

void ModuleMap::load(const LiveModule& module) {
    std::erase_if(modules_, [&](const LiveModule& live) {
        return live.start < module.end && module.start < live.end;
    });
    const auto position =
        std::lower_bound(modules_.begin(), modules_.end(), module.start,
                         [](const LiveModule& live, uint64_t start) { return live.start < start; });
    modules_.insert(position, module);
    ++generation_;
}

void ModuleMap::unload(uint64_t start) {
    if (std::erase_if(modules_, [&](const LiveModule& live) { return live.start == start; }) > 0)
        ++generation_;
}

const LiveModule* ModuleMap::find(uint64_t address) const {
    const auto after =
        std::upper_bound(modules_.begin(), modules_.end(), address,
                         [](uint64_t value, const LiveModule& live) { return value < live.start; });
    if (after == modules_.begin())
        return nullptr;
    const LiveModule& candidate = *(after - 1);
    return address < candidate.end ? &candidate : nullptr;
}

} // namespace hprof
