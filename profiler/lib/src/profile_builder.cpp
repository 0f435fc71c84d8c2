#include "hprof/profile_builder.h"

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>

namespace hprof {
namespace {

// Mixes one more value into a running hash (the boost::hash_combine recipe).
template <class T> void hashCombine(size_t& seed, const T& value) {
    seed ^= std::hash<T>{}(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
}

template <class... Fields> size_t hashFields(const Fields&... fields) {
    size_t seed = 0;
    (hashCombine(seed, fields), ...);
    return seed;
}

struct ModuleKey {
    std::string path;
    std::string build_id;
    bool operator==(const ModuleKey&) const = default;
};

struct FunctionKey {
    std::string name;
    std::string file;
    uint32_t line;
    ModuleId module;
    bool operator==(const FunctionKey&) const = default;
};

struct FrameKey {
    FunctionId function;
    uint32_t line;
    bool inlined;
    bool operator==(const FrameKey&) const = default;
};

struct StackKey {
    StackId parent;
    FrameId frame;
    bool operator==(const StackKey&) const = default;
};

struct KeyHash {
    size_t operator()(const ModuleKey& k) const { return hashFields(k.path, k.build_id); }
    size_t operator()(const FunctionKey& k) const {
        return hashFields(k.name, k.file, k.line, k.module);
    }
    size_t operator()(const FrameKey& k) const { return hashFields(k.function, k.line, k.inlined); }
    size_t operator()(const StackKey& k) const { return hashFields(k.parent, k.frame); }
};

// Returns the id of `key` in `index`, appending `element` to `table` when it is new.
template <class Id, class Key, class Element>
Id intern(std::unordered_map<Key, Id, KeyHash>& index, std::vector<Element>& table, Key&& key,
          const Element& element) {
    auto [it, inserted] = index.try_emplace(std::move(key), Id(uint32_t(table.size())));
    if (inserted)
        table.push_back(element);
    return it->second;
}

} // namespace

struct ProfileBuilder::Indexes {
    std::unordered_map<ModuleKey, ModuleId, KeyHash> modules;
    std::unordered_map<FunctionKey, FunctionId, KeyHash> functions;
    std::unordered_map<FrameKey, FrameId, KeyHash> frames;
    std::unordered_map<StackKey, StackId, KeyHash> stacks;
};

ProfileBuilder::ProfileBuilder() : indexes_(std::make_unique<Indexes>()) {}
ProfileBuilder::~ProfileBuilder() = default;

ModuleId ProfileBuilder::internModule(const Module& module) {
    return intern(indexes_->modules, profile_.modules, ModuleKey{module.path, module.build_id},
                  module);
}

FunctionId ProfileBuilder::internFunction(const Function& function) {
    FunctionKey key{function.name, function.file, function.line, function.module};
    return intern(indexes_->functions, profile_.functions, std::move(key), function);
}

FrameId ProfileBuilder::internFrame(const Frame& frame) {
    return intern(indexes_->frames, profile_.frames,
                  FrameKey{frame.function, frame.line, frame.inlined}, frame);
}

StackId ProfileBuilder::internStack(StackId parent, FrameId frame) {
    return intern(indexes_->stacks, profile_.stacks, StackKey{parent, frame},
                  StackNode{parent, frame});
}

Profile& ProfileBuilder::profile() {
    return profile_;
}

Profile ProfileBuilder::take() {
    auto earlier = [](const Sample& a, const Sample& b) { return a.time_ns < b.time_ns; };
    // One pass instead of a sort when a caller merged them already (JobMerger).
    if (!std::is_sorted(profile_.samples.begin(), profile_.samples.end(), earlier))
        std::stable_sort(profile_.samples.begin(), profile_.samples.end(), earlier);
    Profile result = std::move(profile_);
    profile_ = Profile{};
    indexes_ = std::make_unique<Indexes>();
    return result;
}

} // namespace hprof
