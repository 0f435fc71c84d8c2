#include "hprof/viewer/frame_colors.h"

#include <algorithm>
#include <cmath>

namespace hprof::viewer {

int moduleHue(std::string_view module_path) {
    uint32_t hash = 2166136261u;
    for (unsigned char c : module_path) {
        hash ^= c;
        hash *= 16777619u;
    }
    return int(hash % 360);
}

double heat(int64_t self_weight_ns, int64_t max_self_weight_ns) {
    if (max_self_weight_ns <= 0 || self_weight_ns <= 0)
        return 0;
    return std::sqrt(std::clamp(double(self_weight_ns) / double(max_self_weight_ns), 0.0, 1.0));
}

} // namespace hprof::viewer
