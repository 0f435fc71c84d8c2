#include "cfi.h"
#include "dwarf_reader.h"
#include "module_table.h"

namespace hprof::probe {
namespace {

constexpr int kMaxRememberedStates = 4; // gcc nests remember_state at most once or twice

struct Cie {
    uint64_t code_align = 1;
    int64_t data_align = 1;
    uint8_t fde_encoding = 0;
    const uint8_t* instructions = nullptr;
    const uint8_t* instructions_end = nullptr;
};

struct Fde {
    uint64_t pc_begin = 0;
    uint64_t pc_end = 0;
    const uint8_t* instructions = nullptr;
    const uint8_t* instructions_end = nullptr;
};

const uint8_t* moduleEnd(const ModuleEntry& module) {
    return reinterpret_cast<const uint8_t*>(module.end);
}

// Reads an .eh_frame entry's length; returns the reader bounded to the entry's body.
bool openEntry(const uint8_t* entry, const ModuleEntry& module, DwarfReader& body) {
    if (uint64_t(entry) < module.start || uint64_t(entry) >= module.end)
        return false;
    DwarfReader reader{entry, moduleEnd(module)};
    uint64_t length = reader.fixed<uint32_t>();
    if (length == 0xffffffff)
        length = reader.fixed<uint64_t>();
    if (!reader.ok || length == 0 || !reader.has(length))
        return false;
    body = {reader.pos, reader.pos + length};
    return true;
}

bool parseCie(const uint8_t* entry, const ModuleEntry& module, Cie& cie) {
    DwarfReader reader{nullptr, nullptr};
    if (!openEntry(entry, module, reader) || reader.fixed<uint32_t>() != 0) // CIE id is 0
        return false;
    uint8_t version = reader.u8();
    const char* augmentation = reinterpret_cast<const char*>(reader.pos);
    while (reader.has(1) && *reader.pos != 0)
        reader.pos++;
    reader.skip(1);
    cie.code_align = reader.uleb();
    cie.data_align = reader.sleb();
    if (version == 1)
        reader.u8(); // return address register
    else
        reader.uleb();
    if (augmentation[0] == 'z') {
        uint64_t data_length = reader.uleb();
        const uint8_t* data_end = reader.pos + data_length;
        for (const char* a = augmentation + 1; *a && reader.ok; ++a) {
            if (*a == 'R') {
                cie.fde_encoding = reader.u8();
            } else if (*a == 'P') {
                uint8_t encoding = reader.u8();
                reader.encoded(uint8_t(encoding & 0x7f)); // the personality routine: skipped
            } else if (*a == 'L') {
                reader.u8();
            } else if (*a != 'S' && *a != 'B') {
                break; // unknown augmentation: the data length lets us skip the rest
            }
        }
        reader.pos = data_end;
    } else if (augmentation[0] != '\0') {
        return false;
    }
    cie.instructions = reader.pos;
    cie.instructions_end = reader.end;
    return reader.ok && reader.pos <= reader.end;
}

bool parseFde(const uint8_t* entry, const ModuleEntry& module, Cie& cie, Fde& fde) {
    DwarfReader reader{nullptr, nullptr};
    if (!openEntry(entry, module, reader))
        return false;
    const uint8_t* cie_pointer_position = reader.pos;
    uint32_t cie_offset = reader.fixed<uint32_t>();
    if (cie_offset == 0 || !parseCie(cie_pointer_position - cie_offset, module, cie))
        return false;
    fde.pc_begin = reader.encoded(cie.fde_encoding);
    fde.pc_end = fde.pc_begin + reader.encoded(uint8_t(cie.fde_encoding & 0x0f));
    reader.skip(reader.uleb()); // augmentation data ('z' is universal in .eh_frame)
    fde.instructions = reader.pos;
    fde.instructions_end = reader.end;
    return reader.ok;
}

// Binary search of .eh_frame_hdr's table of (initial location, FDE address), both 4-byte
// offsets from the header.
const uint8_t* findFde(const ModuleEntry& module, uint64_t pc) {
    struct TableEntry {
        int32_t location;
        int32_t fde;
    };
    const auto* table = reinterpret_cast<const TableEntry*>(module.search_table);
    uint64_t lo = 0, hi = module.fde_count;
    int64_t relative_pc = int64_t(pc - module.eh_frame_hdr);
    while (lo < hi) { // first entry whose location is beyond pc
        uint64_t mid = (lo + hi) / 2;
        if (table[mid].location <= relative_pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return nullptr;
    return reinterpret_cast<const uint8_t*>(module.eh_frame_hdr + int64_t(table[lo - 1].fde));
}

struct CfaProgram {
    CfaProgram(const Cie& c, uint64_t target, FrameRules& r, const FrameRules& i)
        : cie(c), target_pc(target), rules(r), initial(i) {}
    const Cie& cie;
    uint64_t target_pc;
    FrameRules& rules;
    const FrameRules& initial; // the CIE's rules, for DW_CFA_restore
    FrameRules remembered[kMaxRememberedStates];
    int remembered_count = 0;
};

bool setRegister(FrameRules& rules, uint64_t reg, RuleKind kind, int64_t offset) {
    if (reg >= uint64_t(kRegisterCount))
        return true; // a register we do not track (vector registers): ignore its rule
    rules.registers[reg] = {kind, offset, nullptr, 0};
    return true;
}

bool setExpression(FrameRules& rules, uint64_t reg, RuleKind kind, DwarfReader& reader) {
    uint64_t size = reader.uleb();
    const uint8_t* expression = reader.pos;
    reader.skip(size);
    if (reg < uint64_t(kRegisterCount))
        rules.registers[reg] = {kind, 0, expression, size};
    return reader.ok;
}

// Executes one CFA instruction. Returns false to stop: at the target pc or on an error
// (`reader.ok` tells which).
bool executeInstruction(CfaProgram& program, DwarfReader& reader, uint64_t& location) {
    FrameRules& rules = program.rules;
    const Cie& cie = program.cie;
    uint8_t opcode = reader.u8();
    uint8_t operand = opcode & 0x3f;
    uint64_t advance = 0;
    switch (opcode & 0xc0) {
    case 0x40:
        advance = operand * cie.code_align;
        break;
    case 0x80:
        return setRegister(rules, operand, RuleKind::Offset,
                           int64_t(reader.uleb()) * cie.data_align);
    case 0xc0:
        if (operand < kRegisterCount)
            rules.registers[operand] = program.initial.registers[operand];
        return true;
    default:
        switch (opcode) {
        case 0x00:
            return true; // nop
        case 0x01:
            location = reader.encoded(cie.fde_encoding);
            return location <= program.target_pc;
        case 0x02:
            advance = reader.u8() * cie.code_align;
            break;
        case 0x03:
            advance = reader.fixed<uint16_t>() * cie.code_align;
            break;
        case 0x04:
            advance = reader.fixed<uint32_t>() * cie.code_align;
            break;
        case 0x05: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::Offset,
                               int64_t(reader.uleb()) * cie.data_align);
        }
        case 0x06: {
            uint64_t reg = reader.uleb();
            if (reg < kRegisterCount)
                rules.registers[reg] = program.initial.registers[reg];
            return true;
        }
        case 0x07:
            return setRegister(rules, reader.uleb(), RuleKind::Undefined, 0);
        case 0x08:
            return setRegister(rules, reader.uleb(), RuleKind::SameValue, 0);
        case 0x09: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::Register, int64_t(reader.uleb()));
        }
        case 0x0a:
            if (program.remembered_count == kMaxRememberedStates)
                return reader.ok = false;
            program.remembered[program.remembered_count++] = rules;
            return true;
        case 0x0b: {
            if (program.remembered_count == 0)
                return reader.ok = false;
            // The CFA is not part of the remembered state in practice for gcc; restore it all.
            rules = program.remembered[--program.remembered_count];
            return true;
        }
        case 0x0c:
            rules.cfa_is_expression = false;
            rules.cfa_register = int(reader.uleb());
            rules.cfa_offset = int64_t(reader.uleb());
            return true;
        case 0x0d:
            rules.cfa_is_expression = false;
            rules.cfa_register = int(reader.uleb());
            return true;
        case 0x0e:
            rules.cfa_offset = int64_t(reader.uleb());
            return true;
        case 0x0f:
            rules.cfa_is_expression = true;
            rules.cfa_expression_size = reader.uleb();
            rules.cfa_expression = reader.pos;
            reader.skip(rules.cfa_expression_size);
            return reader.ok;
        case 0x10:
            return setExpression(rules, reader.uleb(), RuleKind::Expression, reader);
        case 0x11: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::Offset, reader.sleb() * cie.data_align);
        }
        case 0x12:
            rules.cfa_is_expression = false;
            rules.cfa_register = int(reader.uleb());
            rules.cfa_offset = reader.sleb() * cie.data_align;
            return true;
        case 0x13:
            rules.cfa_offset = reader.sleb() * cie.data_align;
            return true;
        case 0x14: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::ValOffset,
                               int64_t(reader.uleb()) * cie.data_align);
        }
        case 0x15: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::ValOffset, reader.sleb() * cie.data_align);
        }
        case 0x16:
            return setExpression(rules, reader.uleb(), RuleKind::ValExpression, reader);
        case 0x2e:
            reader.uleb();
            return true; // GNU_args_size: only matters for resuming
        case 0x2f: {
            uint64_t reg = reader.uleb();
            return setRegister(rules, reg, RuleKind::Offset,
                               -int64_t(reader.uleb()) * cie.data_align);
        }
        default:
            return reader.ok = false;
        }
    }
    location += advance;
    return location <= program.target_pc;
}

bool runProgram(CfaProgram& program, const uint8_t* begin, const uint8_t* end, uint64_t start) {
    DwarfReader reader{begin, end};
    uint64_t location = start;
    while (reader.ok && reader.pos < reader.end) {
        if (!executeInstruction(program, reader, location))
            break;
    }
    return reader.ok;
}

} // namespace

bool findFrameRules(const ModuleEntry& module, uint64_t pc, FrameRules& rules) {
    if (module.fde_count == 0)
        return false;
    const uint8_t* entry = findFde(module, pc);
    Cie cie;
    Fde fde;
    if (!entry || !parseFde(entry, module, cie, fde) || pc < fde.pc_begin || pc >= fde.pc_end)
        return false;
    rules = FrameRules{};
    FrameRules no_initial_rules;
    CfaProgram cie_program(cie, UINT64_MAX, rules, no_initial_rules);
    if (!runProgram(cie_program, cie.instructions, cie.instructions_end, fde.pc_begin))
        return false;
    FrameRules initial = rules;
    CfaProgram fde_program(cie, pc, rules, initial);
    return runProgram(fde_program, fde.instructions, fde.instructions_end, fde.pc_begin);
}

} // namespace hprof::probe
