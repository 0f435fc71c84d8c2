// Small helpers shared by the collector tests.
#pragma once

#include "hprof/profile.h"

#include <string>
#include <vector>

namespace hprof::testing {

// The frames of a sample's stack, leaf first.
inline std::vector<Frame> leafFirstFrames(const Profile& profile, const Sample& sample) {
    std::vector<Frame> frames;
    for (StackId node = sample.stack; node.valid(); node = profile.stack(node).parent)
        frames.push_back(profile.frame(profile.stack(node).frame));
    return frames;
}

inline const std::string& functionName(const Profile& profile, const Frame& frame) {
    return profile.function(frame.function).name;
}

} // namespace hprof::testing
