// Small helpers shared by the collector tests.
#pragma once

#include "hprof/profile.h"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace hprof::testing {

// A fresh directory under the system temp folder, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "hprof-collector-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

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
