// A per-thread cache of decoded unwind rules, keyed by instruction address, so a frame seen
// before costs a table lookup instead of a CIE/FDE parse (measured: about 330 ns per frame
// uncached, 3% overhead at 1000 Hz on 100-deep stacks).
//
// Only the rules compilers emit for ordinary function bodies fit an entry: CFA = rsp or rbp plus
// an offset, the return address and the callee-saved registers saved at CFA offsets or left
// alone. Anything else (PLT stubs, expressions, signal frames) is never cached.
#pragma once

#include "cfi.h"

#include <cstdint>

namespace hprof::probe {

struct CompactRules {
    static constexpr int16_t kSameValue = INT16_MIN;
    static constexpr int kSavedCount = 6; // rbx, rbp, r12, r13, r14, r15
    static constexpr int kSavedRegisters[kSavedCount] = {3, 6, 12, 13, 14, 15};

    uint64_t pc = 0;
    uint32_t generation = 0; // module table generation at fill time
    int32_t cfa_offset = 0;
    uint8_t cfa_register = 0; // kRegRsp or kRegRbp
    int16_t return_address_offset = 0;
    int16_t saved_offset[kSavedCount] = {}; // CFA offset, or kSameValue
};

// Returns false when the rules need more than CompactRules can say.
bool compactRules(const FrameRules& rules, uint64_t pc, uint32_t generation, CompactRules& out);

class FrameCache {
  public:
    const CompactRules* find(uint64_t pc, uint32_t generation) const {
        const CompactRules& entry = entries_[slot(pc)];
        return entry.pc == pc && entry.generation == generation ? &entry : nullptr;
    }
    void store(const CompactRules& rules) { entries_[slot(rules.pc)] = rules; }

  private:
    static constexpr int kEntries = 256;
    static int slot(uint64_t pc) { return int((pc ^ (pc >> 8) ^ (pc >> 16)) % kEntries); }
    CompactRules entries_[kEntries];
};

} // namespace hprof::probe
