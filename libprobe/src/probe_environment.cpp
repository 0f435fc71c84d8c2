#include "probe_environment.h"

#include <climits>
#include <cstring>
#include <dlfcn.h>
#include <unistd.h>

namespace hprof::probe {
namespace {

constexpr size_t kMaxSnapshotEntries = 32;
constexpr size_t kSnapshotBytes = 16384;

// "NAME=value" strings, NUL-separated in one buffer; entries point into it.
struct Snapshot {
    char text[kSnapshotBytes];
    size_t used;
    char* entries[kMaxSnapshotEntries];
    size_t count;
    char* preload;        // the "LD_PRELOAD=..." entry that loaded us, or nullptr
    bool has_run_dir;     // HPROF_RUN_DIR was set: this process is profiled, children must be
    char probe[PATH_MAX]; // the probe's own path as the loader recorded it
};
constinit Snapshot g_snapshot;

// The length of "NAME=" in `entry` (0 when it has no '=').
size_t nameLength(const char* entry) {
    const char* equals = strchr(entry, '=');
    return equals ? size_t(equals - entry) + 1 : 0;
}

bool sameName(const char* entry, const char* other) {
    const size_t length = nameLength(other);
    return length != 0 && strncmp(entry, other, length) == 0;
}

void keep(char* entry) {
    const size_t size = strlen(entry) + 1;
    if (g_snapshot.count == kMaxSnapshotEntries || g_snapshot.used + size > kSnapshotBytes)
        return;
    char* copy = g_snapshot.text + g_snapshot.used;
    memcpy(copy, entry, size);
    g_snapshot.used += size;
    g_snapshot.entries[g_snapshot.count++] = copy;
    if (strncmp(copy, "LD_PRELOAD=", 11) == 0)
        g_snapshot.preload = copy;
    if (strncmp(copy, "HPROF_RUN_DIR=", 14) == 0)
        g_snapshot.has_run_dir = true;
}

// Whether the LD_PRELOAD value names the probe (the loader splits it at ':' and ' ').
bool namesProbe(const char* value) {
    const size_t length = strlen(g_snapshot.probe);
    if (length == 0)
        return true; // the probe's path is unknown: any LD_PRELOAD is taken as ours
    for (const char* found = strstr(value, g_snapshot.probe); found;
         found = strstr(found + 1, g_snapshot.probe)) {
        const bool starts = found == value || found[-1] == ':' || found[-1] == ' ';
        const char after = found[length];
        if (starts && (after == '\0' || after == ':' || after == ' '))
            return true;
    }
    return false;
}

char* find(char* const* environment, const char* name_entry) {
    for (char* const* entry = environment; entry && *entry; ++entry) {
        if (sameName(*entry, name_entry))
            return *entry;
    }
    return nullptr;
}

} // namespace

void snapshotProbeEnvironment() {
    for (char** entry = environ; entry && *entry; ++entry) {
        if (strncmp(*entry, "HPROF_", 6) == 0 || strncmp(*entry, "LD_PRELOAD=", 11) == 0)
            keep(*entry);
    }
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&snapshotProbeEnvironment), &info) && info.dli_fname &&
        strlen(info.dli_fname) < sizeof g_snapshot.probe)
        strcpy(g_snapshot.probe, info.dli_fname);
}

ChildEnvironment::ChildEnvironment(char* const* environment) : result_(environment) {
    if (!g_snapshot.has_run_dir || !g_snapshot.preload)
        return; // this process is not profiled: nothing to pass on
    char* preload_entry = find(environment, g_snapshot.preload);
    const bool preload_ok = preload_entry && namesProbe(preload_entry + 11);
    if (preload_ok && find(environment, "HPROF_RUN_DIR="))
        return;
    if (buildFixedCopy(environment, preload_entry, preload_ok))
        result_ = entries_;
    else
        fix_failed_ = true;
}

bool ChildEnvironment::add(char* entry) {
    if (count_ == kMaxEntries)
        return false;
    entries_[count_++] = entry;
    entries_[count_] = nullptr;
    return true;
}

// The child's own variables, its LD_PRELOAD with the probe in front, and the HPROF_* settings it
// lacks.
bool ChildEnvironment::buildFixedCopy(char* const* environment, const char* preload_entry,
                                      bool preload_ok) {
    entries_[0] = nullptr;
    for (char* const* entry = environment; entry && *entry; ++entry) {
        if ((*entry != preload_entry || preload_ok) && !add(*entry))
            return false;
    }
    if (!preload_ok) {
        char* preload = g_snapshot.preload;
        if (preload_entry && preload_entry[11] != '\0') {
            const size_t probe = strlen(g_snapshot.probe);
            const size_t theirs = strlen(preload_entry + 11);
            if (11 + probe + 1 + theirs + 1 > sizeof preload_)
                return false;
            char* out = stpcpy(stpcpy(preload_, "LD_PRELOAD="), g_snapshot.probe);
            *out++ = ':';
            strcpy(out, preload_entry + 11);
            preload = preload_;
        }
        if (!add(preload))
            return false;
    }
    for (size_t i = 0; i < g_snapshot.count; ++i) {
        char* setting = g_snapshot.entries[i];
        if (setting != g_snapshot.preload && !find(environment, setting) && !add(setting))
            return false;
    }
    return true;
}

} // namespace hprof::probe
