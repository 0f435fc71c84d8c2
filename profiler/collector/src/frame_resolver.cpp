#include "frame_resolver.h"

namespace hprof {
namespace {
constexpr const char* kUnknownModule = "[unknown]";
constexpr const char* kTruncated = "[truncated]";
constexpr const char* kProcessStart = "[process start: exec, dynamic loading]";
constexpr const char* kRunQueue = "[waiting for a CPU (run queue)]";
constexpr const char* kUnseenWaits = "[blocked: waits between two wall samples]";
} // namespace

FrameResolver::FrameResolver(ProfileBuilder& builder,
                             const std::vector<std::string>& debuginfo_paths)
    : builder_(builder), symbolizer_(debuginfo_paths) {}

uint32_t FrameResolver::moduleFile(const std::string& path, const std::string& build_id) {
    const auto [position, inserted] =
        module_file_index_.try_emplace(path + '\0' + build_id, module_files_.size());
    if (inserted) {
        const ModuleId id = builder_.internModule(Module{path, build_id});
        module_files_.push_back({ModuleFile{path, build_id}, id});
    }
    return position->second;
}

FrameResolver::Chain FrameResolver::resolve(uint32_t module_file, uint64_t file_address) {
    const auto [position, inserted] = cache_.try_emplace(Key{module_file, file_address});
    if (inserted) {
        const ModuleFileEntry& entry = module_files_[module_file];
        position->second = intern(entry.id, symbolizer_.symbolize(entry.file, file_address));
    }
    return position->second;
}

FrameResolver::Chain FrameResolver::resolveUnknown(uint64_t address) {
    const uint32_t module_file = moduleFile(kUnknownModule, {});
    const auto [position, inserted] = cache_.try_emplace(Key{module_file, address});
    if (inserted) {
        SymbolizedFrame frame{pseudoFunctionName(kUnknownModule, address), {}, 0, 0, false};
        position->second = intern(module_files_[module_file].id, {frame});
    }
    return position->second;
}

FrameId FrameResolver::syntheticFrame(const char* name, FrameId& frame) {
    if (!frame.valid()) {
        const ModuleId module = module_files_[moduleFile(name, {})].id;
        const FunctionId function = builder_.internFunction(Function{name, {}, 0, module});
        frame = builder_.internFrame(Frame{function, 0, false});
    }
    return frame;
}

FrameId FrameResolver::truncatedFrame() {
    return syntheticFrame(kTruncated, truncated_frame_);
}

FrameId FrameResolver::processStartFrame() {
    return syntheticFrame(kProcessStart, process_start_frame_);
}

FrameId FrameResolver::runQueueFrame() {
    return syntheticFrame(kRunQueue, run_queue_frame_);
}

FrameId FrameResolver::unseenWaitsFrame() {
    return syntheticFrame(kUnseenWaits, unseen_waits_frame_);
}

FrameResolver::Chain FrameResolver::intern(ModuleId module,
                                           const std::vector<SymbolizedFrame>& symbolized) {
    const Chain chain{static_cast<uint32_t>(frames_.size()),
                      static_cast<uint32_t>(symbolized.size())};
    for (const SymbolizedFrame& frame : symbolized) {
        const FunctionId function = builder_.internFunction(
            Function{frame.function, frame.file, frame.function_line, module});
        frames_.push_back(builder_.internFrame(Frame{function, frame.line, frame.inlined}));
    }
    return chain;
}

} // namespace hprof
