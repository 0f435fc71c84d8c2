// The loaded modules (executable, shared libraries, vDSO) with what the unwinder needs to find
// their unwind tables. Built outside signal handlers, with dl_iterate_phdr, at start and after
// every dlopen/dlclose; read from the signal handler through a sequence lock, without locks.
#pragma once

#include <cstdint>

namespace hprof::probe {

struct ModuleEntry {
    uint64_t start = 0; // runtime range of the PT_LOAD segments
    uint64_t end = 0;
    uint64_t load_bias = 0;
    uint64_t eh_frame_hdr = 0; // runtime address of .eh_frame_hdr, 0 if none
    uint64_t search_table = 0; // runtime address of its binary-search table
    uint64_t fde_count = 0;
};

// Re-reads the module list, writes ModuleLoad/ModuleUnload records for what changed, and
// publishes the new table. Not async-signal-safe; serialised internally.
void refreshModules();
// Grows after every refresh that saw a module go away, once its ModuleUnload records are in
// the stream: call tables (call_counter.cpp) recorded in one epoch never mix addresses of a
// module unloaded and of one loaded later at the same address. Read with a relaxed load.
extern uint64_t g_module_unload_epoch;
inline uint64_t moduleUnloadEpoch() {
    return __atomic_load_n(&g_module_unload_epoch, __ATOMIC_RELAXED);
}

// In a fork child: the table is still right, but the new stream needs every module again.
void rewriteModuleRecordsAfterFork();
// When the stream has just opened: writes every module already in the table, then refreshes.
// Libraries initialised before the probe's constructor may dlopen (under MPICH, hwloc loads its
// plugins and UCX its transports): that refreshed the table while there was no stream to write
// to, and without this the modules seen then (the program, libc, libmpich...) had no records:
// every sample in them was "[unknown]".
void writeModulesAtStreamStart();
// Serialises dlopen/dlclose with refreshModules (see interpose.cpp for why).
void lockModuleChanges();
void unlockModuleChanges();
// In a fork child whose parent held the lock across fork (see fork_safe_mutex.h).
void resetModuleLockInForkChild();

// Async-signal-safe: copies the module containing `address` into `out`. Returns false if no
// module contains it or the table is being rewritten right now (possibly by this very thread).
bool findModule(uint64_t address, ModuleEntry& out);

// Async-signal-safe: changes whenever the table changes (odd while it is being rewritten).
// Caches of per-address unwind rules are valid only for the generation they were filled in.
uint64_t moduleTableGeneration();

} // namespace hprof::probe
