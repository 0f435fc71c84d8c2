// resolveFilter and describeFilter: between the names a user types and the ids of a SampleFilter.
#include "hprof/error.h"
#include "hprof/filter.h"
#include "hprof/queries.h"

#include <cstdio>
#include <set>

namespace hprof {
namespace {

// "12, 13, 14" (at most `most` of them, then ", ...").
template <class Table, class IdOf>
std::string listIds(const Table& table, IdOf idOf, size_t most = 10) {
    std::string list;
    for (size_t i = 0; i < table.size() && i < most; ++i)
        list += (i ? ", " : "") + std::to_string(idOf(table[i]));
    return table.size() > most ? list + ", ..." : list;
}

// Adds to `selection` (include or exclude) the position of every row of `table` whose key is
// `wanted`; throws when there is none, a pid or tid that names nothing would otherwise print an
// empty report as if that process or thread had done nothing.
template <class Id, class Table, class KeyOf>
void addById(Selection<Id>& selection, bool exclude, const Table& table, KeyOf keyOf,
             int32_t wanted, const char* noun, const char* plural) {
    bool found = false;
    for (uint32_t i = 0; i < table.size(); ++i) {
        if (keyOf(table[i]) != wanted)
            continue;
        found = true;
        exclude ? selection.exclude(Id(i)) : selection.include(Id(i));
    }
    if (!found)
        throw Error(std::string("no ") + noun + " " + std::to_string(wanted) +
                    " in the profile (its " + plural + ": " + listIds(table, keyOf) + ")");
}

// Adds every row whose name contains `text`; throws when none does.
template <class Id, class Table, class NameOf>
void addByName(Selection<Id>& selection, bool exclude, const Table& table, NameOf nameOf,
               const std::string& text, const char* noun) {
    const NameMatcher matcher(text, NameMatcher::Kind::Substring);
    bool found = false;
    for (uint32_t i = 0; i < table.size(); ++i) {
        if (!matcher.matches(nameOf(table[i])))
            continue;
        found = true;
        exclude ? selection.exclude(Id(i)) : selection.include(Id(i));
    }
    if (!found)
        throw Error(std::string("no ") + noun + " matches '" + text + "'");
}

int32_t pidOf(const Process& process) {
    return process.pid;
}
int32_t tidOf(const Thread& thread) {
    return thread.tid;
}
const std::string& nameOf(const Function& function) {
    return function.name;
}
const std::string& pathOf(const Module& module) {
    return module.path;
}

std::string secondsText(int64_t ns) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g s", double(ns) / 1e9);
    return text;
}

std::string timeText(const SampleFilter& filter) {
    if (!filter.from_ns && !filter.to_ns)
        return "";
    return "time " + (filter.from_ns ? secondsText(*filter.from_ns) : std::string()) + ".." +
           (filter.to_ns ? secondsText(*filter.to_ns) : std::string());
}

// "process 12, 13": the distinct keys of the ids, in the order they come.
// The distinct texts of the ids, in order: several processes share a pid after exec, and a
// function of one name can be in several modules.
template <class Id, class TextOf> std::string listText(const std::vector<Id>& ids, TextOf textOf) {
    std::vector<std::string> texts;
    for (Id id : ids) {
        std::string text = textOf(id);
        if (std::find(texts.begin(), texts.end(), text) == texts.end())
            texts.push_back(std::move(text));
    }
    std::string joined;
    for (const std::string& text : texts)
        joined += (joined.empty() ? "" : ", ") + text;
    return joined;
}

// Appends "<only> <list>" and "<without> <list>" for the non-empty sides of a selection.
template <class Id, class Text>
void describeSelection(std::vector<std::string>& parts, const Selection<Id>& selection,
                       const std::string& only, const std::string& without, Text text) {
    if (!selection.only.empty())
        parts.push_back(only + " " + text(selection.only));
    if (!selection.excluded.empty())
        parts.push_back(without + " " + text(selection.excluded));
}

std::string baseName(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

SampleFilter resolveFilter(const Profile& profile, const FilterRequest& request) {
    SampleFilter filter;
    filter.from_ns = request.from_ns;
    filter.to_ns = request.to_ns;
    for (int32_t pid : request.pids)
        addById(filter.processes, false, profile.processes, pidOf, pid, "process", "pids");
    for (int32_t pid : request.excluded_pids)
        addById(filter.processes, true, profile.processes, pidOf, pid, "process", "pids");
    for (int32_t tid : request.tids)
        addById(filter.threads, false, profile.threads, tidOf, tid, "thread", "tids");
    for (int32_t tid : request.excluded_tids)
        addById(filter.threads, true, profile.threads, tidOf, tid, "thread", "tids");
    for (const std::string& name : request.focus_functions)
        addByName(filter.functions, false, profile.functions, nameOf, name, "function");
    for (const std::string& name : request.excluded_functions)
        addByName(filter.functions, true, profile.functions, nameOf, name, "function");
    for (const std::string& path : request.modules)
        addByName(filter.modules, false, profile.modules, pathOf, path, "module");
    for (const std::string& path : request.excluded_modules)
        addByName(filter.modules, true, profile.modules, pathOf, path, "module");
    return filter;
}

std::string describeFilter(const Profile& profile, const SampleFilter& filter) {
    std::vector<std::string> parts;
    if (std::string time = timeText(filter); !time.empty())
        parts.push_back(time);
    auto pids = [&](const std::vector<ProcessId>& ids) {
        return listText(ids, [&](ProcessId id) { return std::to_string(profile.process(id).pid); });
    };
    auto tids = [&](const std::vector<ThreadId>& ids) {
        return listText(ids, [&](ThreadId id) { return std::to_string(profile.thread(id).tid); });
    };
    auto functions = [&](const std::vector<FunctionId>& ids) {
        return listText(ids, [&](FunctionId id) { return profile.function(id).name; });
    };
    auto modules = [&](const std::vector<ModuleId>& ids) {
        return listText(ids, [&](ModuleId id) { return baseName(profile.module(id).path); });
    };
    describeSelection(parts, filter.processes, "process", "without process", pids);
    describeSelection(parts, filter.threads, "thread", "without thread", tids);
    describeSelection(parts, filter.functions, "only stacks through", "without stacks through",
                      functions);
    describeSelection(parts, filter.modules, "only code in", "without code in", modules);
    std::string text;
    for (const std::string& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text;
}

} // namespace hprof
