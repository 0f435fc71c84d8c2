// DWARF call frame information for one instruction address: which CIE/FDE covers it, and the
// unwind rules (CFA and saved registers) in force there. Pure parsing, async-signal-safe.
#pragma once

#include <cstdint>

namespace hprof::probe {

struct ModuleEntry;

// DWARF register numbers of x86-64, in the order of the CFI rules.
inline constexpr int kRegisterCount = 17; // rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then RA
inline constexpr int kRegRbp = 6;
inline constexpr int kRegRsp = 7;
inline constexpr int kRegReturnAddress = 16;

enum class RuleKind : uint8_t {
    SameValue,    // the register keeps its value (callee-saved, untouched)
    Undefined,    // no value; for the return address: the outermost frame
    Offset,       // saved at CFA + offset
    ValOffset,    // value is CFA + offset
    Register,     // value is in another register
    Expression,   // saved at the address the expression computes (CFA pushed first)
    ValExpression // value is what the expression computes (CFA pushed first)
};

struct RegisterRule {
    RuleKind kind = RuleKind::SameValue;
    int64_t offset = 0; // Offset/ValOffset: offset; Register: register number
    const uint8_t* expression = nullptr;
    uint64_t expression_size = 0;
};

struct FrameRules {
    bool cfa_is_expression = false;
    int cfa_register = kRegRsp;
    int64_t cfa_offset = 0;
    const uint8_t* cfa_expression = nullptr;
    uint64_t cfa_expression_size = 0;
    RegisterRule registers[kRegisterCount];
};

// Finds the FDE for `pc` in the module's .eh_frame_hdr table and runs the CIE and FDE programs
// up to `pc`. Returns false when there is no CFI for it or the CFI is malformed.
bool findFrameRules(const ModuleEntry& module, uint64_t pc, FrameRules& rules);

} // namespace hprof::probe
