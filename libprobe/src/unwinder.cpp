#include "unwinder.h"
#include "cfi.h"
#include "dwarf_reader.h"
#include "frame_cache.h"
#include "module_table.h"

#include <csignal>
#include <cstddef>
#include <cstring>

namespace hprof::probe {
namespace {

constinit uint64_t g_signal_return = 0;
constinit thread_local FrameCache t_frame_cache __attribute__((tls_model("initial-exec")));

// Index into ucontext gregs for each DWARF register number (kRegisterCount entries).
constexpr int kGregsIndex[kRegisterCount] = {REG_RAX, REG_RDX, REG_RCX, REG_RBX, REG_RSI, REG_RDI,
                                             REG_RBP, REG_RSP, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                             REG_R12, REG_R13, REG_R14, REG_R15, REG_RIP};
// Registers a callee may clobber: unknown in every frame but the interrupted one.
constexpr bool kCallerSaved[kRegisterCount] = {true,  true,  true,  false, true, true,
                                               false, false, true,  true,  true, true,
                                               false, false, false, false, false};

struct Registers {
    uint64_t value[kRegisterCount];
    bool known[kRegisterCount];
};

// Where reads may go: the thread's stack, its alternate signal stack, and loaded modules.
struct MemoryGuard {
    StackBounds stack;
    StackBounds alt_stack;
    bool alt_stack_known = false;
    ModuleEntry module; // the module of the current frame: most CFI reads fall inside it
    // Another thread's stack: `stack` is the copied range and reads of it go to this copy.
    const uint8_t* stack_copy = nullptr;

    bool readable(uint64_t address) {
        auto inside = [address](uint64_t low, uint64_t high) {
            return address >= low && address <= high && high - address >= 8;
        };
        if (inside(stack.low, stack.high) || inside(module.start, module.end))
            return true;
        ModuleEntry other;
        if (findModule(address, other) && inside(other.start, other.end))
            return true;
        if (!alt_stack_known) { // a program's own handler may run on an alternate stack
            stack_t alt{};
            if (sigaltstack(nullptr, &alt) == 0 && !(alt.ss_flags & SS_DISABLE))
                alt_stack = {uint64_t(alt.ss_sp), uint64_t(alt.ss_sp) + alt.ss_size};
            alt_stack_known = true;
        }
        return inside(alt_stack.low, alt_stack.high);
    }
    bool read(uint64_t address, uint64_t& value) {
        if (!readable(address))
            return false;
        if (stack_copy && address >= stack.low && address < stack.high)
            memcpy(&value, stack_copy + (address - stack.low), sizeof value);
        else
            memcpy(&value, reinterpret_cast<const void*>(address), sizeof value);
        return true;
    }
};

// A DWARF expression evaluator for the operations compilers put in CFI (register offsets,
// dereference, arithmetic, comparisons: enough for PLT stubs and realigned stacks).
bool evaluate(const uint8_t* code, uint64_t size, const Registers& regs, MemoryGuard& memory,
              bool push_cfa, uint64_t cfa, uint64_t& result) {
    constexpr int kDepth = 16;
    uint64_t stack[kDepth];
    int top = 0;
    auto push = [&](uint64_t v) { return top < kDepth ? (stack[top++] = v, true) : false; };
    if (push_cfa)
        push(cfa);
    DwarfReader reader{code, code + size};
    while (reader.ok && reader.pos < reader.end) {
        uint8_t op = reader.u8();
        if (op >= 0x30 && op <= 0x4f) { // lit0..lit31
            if (!push(op - 0x30))
                return false;
        } else if (op >= 0x70 && op <= 0x8f) { // breg0..breg31
            int reg = op - 0x70;
            int64_t offset = reader.sleb();
            if (reg >= kRegisterCount || !regs.known[reg] || !push(regs.value[reg] + offset))
                return false;
        } else if (op == 0x06) { // deref
            if (top < 1 || !memory.read(stack[top - 1], stack[top - 1]))
                return false;
        } else if (op == 0x23) { // plus_uconst
            if (top < 1)
                return false;
            stack[top - 1] += reader.uleb();
        } else if (op == 0x08 || op == 0x10 || op == 0x11) { // const1u, constu, consts
            uint64_t v = op == 0x08   ? reader.u8()
                         : op == 0x10 ? reader.uleb()
                                      : uint64_t(reader.sleb());
            if (!push(v))
                return false;
        } else if (op >= 0x1a && op <= 0x2e && op != 0x28) { // binary arithmetic / comparison
            if (top < 2)
                return false;
            uint64_t b = stack[--top], a = stack[top - 1];
            uint64_t r = 0;
            switch (op) {
            case 0x1a:
                r = a & b;
                break;
            case 0x1c:
                r = a - b;
                break;
            case 0x1e:
                r = a * b;
                break;
            case 0x21:
                r = a | b;
                break;
            case 0x22:
                r = a + b;
                break;
            case 0x24:
                r = a << (b & 63);
                break;
            case 0x25:
                r = a >> (b & 63);
                break;
            case 0x27:
                r = a ^ b;
                break;
            case 0x29:
                r = a == b;
                break;
            case 0x2a:
                r = int64_t(a) >= int64_t(b);
                break;
            case 0x2b:
                r = int64_t(a) > int64_t(b);
                break;
            case 0x2c:
                r = int64_t(a) <= int64_t(b);
                break;
            case 0x2d:
                r = int64_t(a) < int64_t(b);
                break;
            case 0x2e:
                r = a != b;
                break;
            default:
                return false;
            }
            stack[top - 1] = r;
        } else {
            return false; // an operation CFI for x86-64 code does not use
        }
    }
    if (!reader.ok || top < 1)
        return false;
    result = stack[top - 1];
    return true;
}

bool computeCfa(const FrameRules& rules, const Registers& regs, MemoryGuard& memory,
                uint64_t& cfa) {
    if (rules.cfa_is_expression)
        return evaluate(rules.cfa_expression, rules.cfa_expression_size, regs, memory, false, 0,
                        cfa);
    if (rules.cfa_register >= kRegisterCount || !regs.known[rules.cfa_register])
        return false;
    cfa = regs.value[rules.cfa_register] + rules.cfa_offset;
    return true;
}

bool recoverRegister(const RegisterRule& rule, int reg, const Registers& regs, MemoryGuard& memory,
                     uint64_t cfa, Registers& caller) {
    uint64_t address = 0;
    switch (rule.kind) {
    case RuleKind::SameValue:
        caller.known[reg] = regs.known[reg] && !kCallerSaved[reg];
        caller.value[reg] = regs.value[reg];
        return true;
    case RuleKind::Undefined:
        caller.known[reg] = false;
        return true;
    case RuleKind::Offset:
        caller.known[reg] = memory.read(cfa + rule.offset, caller.value[reg]);
        return caller.known[reg] || reg != kRegReturnAddress;
    case RuleKind::ValOffset:
        caller.value[reg] = cfa + rule.offset;
        caller.known[reg] = true;
        return true;
    case RuleKind::Register:
        if (rule.offset < 0 || rule.offset >= kRegisterCount)
            return false;
        caller.value[reg] = regs.value[rule.offset];
        caller.known[reg] = regs.known[rule.offset];
        return true;
    case RuleKind::Expression:
        caller.known[reg] =
            evaluate(rule.expression, rule.expression_size, regs, memory, true, cfa, address) &&
            memory.read(address, caller.value[reg]);
        return true;
    case RuleKind::ValExpression:
        caller.known[reg] = evaluate(rule.expression, rule.expression_size, regs, memory, true, cfa,
                                     caller.value[reg]);
        return true;
    }
    return false;
}

// Through the kernel's signal frame: at the trampoline, the stack pointer is the ucontext.
bool stepThroughSignalFrame(const Registers& regs, MemoryGuard& memory, Registers& caller) {
    uint64_t context = regs.value[kRegRsp];
    uint64_t gregs = context + offsetof(ucontext_t, uc_mcontext) + offsetof(mcontext_t, gregs);
    for (int reg = 0; reg < kRegisterCount; ++reg)
        caller.known[reg] =
            memory.read(gregs + kGregsIndex[reg] * sizeof(greg_t), caller.value[reg]);
    return caller.known[kRegReturnAddress] && caller.known[kRegRsp];
}

bool applyRules(const FrameRules& rules, const Registers& regs, MemoryGuard& memory,
                Registers& caller) {
    uint64_t cfa = 0;
    if (!computeCfa(rules, regs, memory, cfa))
        return false;
    for (int reg = 0; reg < kRegisterCount; ++reg) {
        if (!recoverRegister(rules.registers[reg], reg, regs, memory, cfa, caller))
            return false;
    }
    caller.value[kRegRsp] = cfa; // by definition, the caller's stack pointer is the CFA
    caller.known[kRegRsp] = true;
    return caller.known[kRegReturnAddress] && cfa > regs.value[kRegRsp];
}

// The same as applyRules for the rules a CompactRules can hold.
bool applyCompactRules(const CompactRules& rules, const Registers& regs, MemoryGuard& memory,
                       Registers& caller) {
    if (!regs.known[rules.cfa_register])
        return false;
    uint64_t cfa = regs.value[rules.cfa_register] + int64_t(rules.cfa_offset);
    for (int reg = 0; reg < kRegisterCount; ++reg)
        caller.known[reg] = false; // caller-saved registers: unknown in the caller
    for (int i = 0; i < CompactRules::kSavedCount; ++i) {
        int reg = CompactRules::kSavedRegisters[i];
        if (rules.saved_offset[i] == CompactRules::kSameValue) {
            caller.value[reg] = regs.value[reg];
            caller.known[reg] = regs.known[reg];
        } else {
            caller.known[reg] = memory.read(cfa + rules.saved_offset[i], caller.value[reg]);
        }
    }
    caller.known[kRegReturnAddress] =
        memory.read(cfa + rules.return_address_offset, caller.value[kRegReturnAddress]);
    caller.value[kRegRsp] = cfa;
    caller.known[kRegRsp] = true;
    return caller.known[kRegReturnAddress] && cfa > regs.value[kRegRsp];
}

// One frame up. `lookup_pc` is the pc to find CFI for (a return address minus one).
bool step(const Registers& regs, uint64_t lookup_pc, MemoryGuard& memory, Registers& caller) {
    if (regs.value[kRegReturnAddress] == g_signal_return)
        return stepThroughSignalFrame(regs, memory, caller);
    uint64_t generation = moduleTableGeneration();
    bool cacheable = (generation & 1) == 0; // odd: the table is being rewritten
    if (cacheable) {
        if (const CompactRules* cached = t_frame_cache.find(lookup_pc, uint32_t(generation)))
            return applyCompactRules(*cached, regs, memory, caller);
    }
    FrameRules rules;
    if (!findModule(lookup_pc, memory.module) || !findFrameRules(memory.module, lookup_pc, rules))
        return false;
    CompactRules compact;
    if (cacheable && compactRules(rules, lookup_pc, uint32_t(generation), compact)) {
        t_frame_cache.store(compact);
        return applyCompactRules(compact, regs, memory, caller);
    }
    return applyRules(rules, regs, memory, caller);
}

// Walks up from `regs`, the state at an exact pc.
uint32_t unwind(Registers regs, MemoryGuard& memory, uint64_t* addresses, uint32_t max,
                bool& truncated) {
    truncated = false;
    uint32_t count = 0;
    bool exact_pc = true; // the interrupted frame, and any frame a signal interrupted
    while (regs.value[kRegReturnAddress] != 0) {
        if (count == max) {
            truncated = true;
            break;
        }
        uint64_t pc = regs.value[kRegReturnAddress];
        // A return address points after the call; minus one lands inside it.
        // The trampoline itself is recorded at its exact address.
        uint64_t lookup_pc = exact_pc || pc == g_signal_return ? pc : pc - 1;
        addresses[count++] = lookup_pc;
        Registers caller;
        if (!step(regs, lookup_pc, memory, caller))
            break;
        exact_pc = pc == g_signal_return;
        regs = caller;
    }
    return count;
}

} // namespace

void setSignalReturnAddress(uint64_t address) {
    g_signal_return = address;
}

uint32_t captureStack(const ucontext_t* context, const StackBounds& stack, uint64_t* addresses,
                      uint32_t max, bool& truncated) {
    Registers regs;
    for (int reg = 0; reg < kRegisterCount; ++reg) {
        regs.value[reg] = uint64_t(context->uc_mcontext.gregs[kGregsIndex[reg]]);
        regs.known[reg] = true;
    }
    MemoryGuard memory;
    memory.stack = stack;
    return unwind(regs, memory, addresses, max, truncated);
}

uint32_t captureCopiedStack(uint64_t pc, const StackCopy& copy, uint64_t* addresses, uint32_t max,
                            bool& truncated) {
    Registers regs{};
    regs.value[kRegReturnAddress] = pc;
    regs.known[kRegReturnAddress] = true;
    regs.value[kRegRsp] = copy.address;
    regs.known[kRegRsp] = true;
    MemoryGuard memory;
    memory.stack = {copy.address, copy.address + copy.size};
    memory.stack_copy = copy.bytes;
    memory.alt_stack_known = true; // the caller's alternate stack is not the blocked thread's
    return unwind(regs, memory, addresses, max, truncated);
}

} // namespace hprof::probe
