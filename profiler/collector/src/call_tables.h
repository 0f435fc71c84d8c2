// The call tables of one process (-finstrument-functions, raw::CallTableRecord), turned into
// Profile::call_counts and Profile::call_edges.
//
// A table is reserved at its thread's first instrumented call and updated in place until the
// thread ends or a module is unloaded (the probe then starts a new table at the thread's next
// call), so its entry addresses belong to modules live at the record's position or loaded after
// it, up to the first ModuleUnload record after it. Tables are therefore kept until the stream
// has been read and each address is resolved, in this order, against the modules live at the
// record's position, then against the modules loaded after it and before that unload, latest
// first. Never against a module loaded after the unload: it may sit at the unloaded one's
// address.
#pragma once

#include "frame_resolver.h"
#include "module_map.h"
#include "raw_stream_reader.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace hprof {

// What the tables of a run could not count, for the run's warnings.
struct CallTableLosses {
    bool any_table = false;
    uint64_t overflowed_calls = 0;
    std::vector<int32_t> full_table_tids; // threads whose table overflowed
    uint64_t unpaired_exits = 0;
    uint64_t context_switches = 0; // swapcontext/setcontext calls, to explain unpaired exits

    void add(const CallTableLosses& other);
    // Sets RunInfo::instrumentation and adds one warning per kind of loss.
    void report(RunInfo& run) const;
};

class CallTables {
  public:
    CallTables(ProfileBuilder& builder, FrameResolver& resolver);

    // Every module load and unload of the stream, in order.
    void moduleLoaded(const LiveModule& module);
    void moduleUnloaded();
    // A table record of `thread`, with the modules live at its position.
    void add(ThreadId thread, const RawCallTableEvent& event, const ModuleMap& live_modules);
    // The table recorded at file offset `offset` for `tid`, as an index for slotFunction().
    std::optional<size_t> tableAt(uint64_t offset, int32_t tid) const;
    // The function of slot `slot` of that table, if the slot holds a ready function total.
    std::optional<FunctionId> slotFunction(size_t table, uint32_t slot);
    // Symbolizes every table and appends the summed counts and edges to the profile.
    void finish();

    const CallTableLosses& losses() const { return losses_; }

  private:
    struct Table {
        ThreadId thread;
        int32_t tid = 0;
        uint64_t offset = 0;    // of the record in the stream
        double ns_per_tick = 0; // 0: the entries hold no times
        ModuleMap modules_at_record;
        size_t later_loads = 0;      // index of the first load after the record in loads_
        size_t loads_end = SIZE_MAX; // loads_.size() at the first unload after the record
        std::vector<raw::CallCountEntry> entries; // every slot: trace entries name them by index
        std::vector<FunctionId> slot_functions;   // per slot, once resolved (trace mode)
    };
    struct Counts {
        uint64_t calls = 0;
        uint64_t primitive_calls = 0;
        std::optional<int64_t> tottime_ns; // set once an entry with times was summed
        std::optional<int64_t> cumtime_ns;
        void add(const raw::CallCountEntry& entry, double ns_per_tick);
    };

    const LiveModule* moduleOf(uint64_t address, const Table& table) const;
    FunctionId functionAt(uint64_t address, const Table& table);

    ProfileBuilder& builder_;
    FrameResolver& resolver_;
    std::vector<LiveModule> loads_;
    std::vector<Table> tables_;
    size_t first_open_table_ = 0; // tables_ from here on have seen no unload yet
    CallTableLosses losses_;
};

} // namespace hprof
