#include "frame_cache.h"

#include <climits>

namespace hprof::probe {
namespace {

bool fitsInt16(int64_t value) {
    return value > INT16_MIN && value <= INT16_MAX;
}

bool isSavedRegister(int reg) {
    for (int saved : CompactRules::kSavedRegisters) {
        if (saved == reg)
            return true;
    }
    return false;
}

} // namespace

bool compactRules(const FrameRules& rules, uint64_t pc, uint32_t generation, CompactRules& out) {
    if (rules.cfa_is_expression || (rules.cfa_register != kRegRsp && rules.cfa_register != kRegRbp))
        return false;
    const RegisterRule& return_address = rules.registers[kRegReturnAddress];
    if (return_address.kind != RuleKind::Offset || !fitsInt16(return_address.offset) ||
        rules.cfa_offset < INT32_MIN || rules.cfa_offset > INT32_MAX)
        return false;
    // Caller-saved registers may have any rule: the unwinder forgets them in callers anyway.
    for (int reg = 0; reg < kRegReturnAddress; ++reg) {
        const RegisterRule& rule = rules.registers[reg];
        bool plain = rule.kind == RuleKind::SameValue ||
                     (rule.kind == RuleKind::Offset && fitsInt16(rule.offset));
        if (isSavedRegister(reg) && !plain)
            return false;
    }
    out.pc = pc;
    out.generation = generation;
    out.cfa_register = uint8_t(rules.cfa_register);
    out.cfa_offset = int32_t(rules.cfa_offset);
    out.return_address_offset = int16_t(return_address.offset);
    for (int i = 0; i < CompactRules::kSavedCount; ++i) {
        const RegisterRule& rule = rules.registers[CompactRules::kSavedRegisters[i]];
        out.saved_offset[i] =
            rule.kind == RuleKind::Offset ? int16_t(rule.offset) : CompactRules::kSameValue;
    }
    return true;
}

} // namespace hprof::probe
