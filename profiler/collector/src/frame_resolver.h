// Interns the frames of code addresses into the profile, symbolizing each distinct
// (module file, file address) once. Shared by all processes of a run.
#pragma once

#include "hprof/profile_builder.h"
#include "symbolizer.h"

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace hprof {

class FrameResolver {
  public:
    // A run of frame ids, innermost first, inside the resolver's frame list.
    struct Chain {
        uint32_t begin = 0;
        uint32_t count = 0;
    };

    FrameResolver(ProfileBuilder& builder, const std::vector<std::string>& debuginfo_paths);

    // The index of a module file; the same (path, build id) always gets the same index.
    uint32_t moduleFile(const std::string& path, const std::string& build_id);
    Chain resolve(uint32_t module_file, uint64_t file_address);
    // An address outside every module live at the time of the sample.
    Chain resolveUnknown(uint64_t address);
    // The synthetic outermost frame of a stack that was cut at raw::kMaxFrames.
    FrameId truncatedFrame();
    // The synthetic frame of the CPU time a program image spent before the probe started.
    FrameId processStartFrame();
    // Wall-clock mode: the frames of time spent waiting for a CPU, and of blocked time in waits
    // that no visit of the wall sampler saw.
    FrameId runQueueFrame();
    FrameId unseenWaitsFrame();

    std::span<const FrameId> frames(Chain chain) const {
        return std::span(frames_).subspan(chain.begin, chain.count);
    }
    size_t distinctAddresses() const { return cache_.size(); }
    const std::vector<std::string>& warnings() const { return symbolizer_.warnings(); }

  private:
    struct Key {
        uint32_t module_file;
        uint64_t address;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& key) const noexcept {
            return std::hash<uint64_t>{}(key.address * 31 + key.module_file);
        }
    };
    struct ModuleFileEntry {
        ModuleFile file;
        ModuleId id;
    };

    Chain intern(ModuleId module, const std::vector<SymbolizedFrame>& symbolized);
    // A frame of its own pseudo-module, made once and kept in `frame`.
    FrameId syntheticFrame(const char* name, FrameId& frame);

    ProfileBuilder& builder_;
    Symbolizer symbolizer_;
    std::vector<ModuleFileEntry> module_files_;
    std::unordered_map<std::string, uint32_t> module_file_index_; // path + '\0' + build id
    std::unordered_map<Key, Chain, KeyHash> cache_;
    std::vector<FrameId> frames_;
    FrameId truncated_frame_;
    FrameId process_start_frame_;
    FrameId run_queue_frame_;
    FrameId unseen_waits_frame_;
};

} // namespace hprof
