#include "hprof/function_labels.h"

#include "report_text.h"

#include <unordered_map>

namespace hprof {
namespace {

std::string moduleName(const Profile& profile, const Function& function) {
    if (!function.module.valid() || function.module.value >= profile.modules.size())
        return "?";
    const std::string& path = profile.module(function.module).path;
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

std::string plainLabel(const Function& function) {
    const std::string name = "(" + oneLine(function.name) + ")";
    if (function.file.empty())
        return "~:0" + name;
    return oneLine(function.file) + ":" + std::to_string(function.line) + name;
}

FunctionLabels::FunctionLabels(const Profile& profile) {
    labels_.reserve(profile.functions.size());
    std::unordered_map<std::string, size_t> uses;
    for (const Function& function : profile.functions)
        ++uses[labels_.emplace_back(plainLabel(function))];
    for (size_t i = 0; i < labels_.size(); ++i) {
        if (uses[labels_[i]] > 1)
            labels_[i] += " [" + moduleName(profile, profile.functions[i]) + "]";
    }
}

} // namespace hprof
