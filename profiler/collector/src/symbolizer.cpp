#include "symbolizer.h"

#include "dwarf_index.h"
#include "function_starts.h"
#include "hex.h"
#include "symbol_names.h"
#include "symbol_table.h"

#include <cstdio>
#include <cstdlib>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <filesystem>
#include <fstream>
#include <gelf.h>
#include <optional>
#include <span>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

namespace hprof {
namespace {

// elfutils' own default: the module's directory, its .debug subdirectory, then /usr/lib/debug.
constexpr const char* kDefaultDebuginfoPath = ":.debug:/usr/lib/debug";

std::string basename(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

const char* stringAttribute(Dwarf_Die* die, unsigned int name) {
    Dwarf_Attribute attribute;
    // _integrate follows DW_AT_abstract_origin and DW_AT_specification to the declaration.
    if (!dwarf_attr_integrate(die, name, &attribute))
        return nullptr;
    return dwarf_formstring(&attribute);
}

// The linkage name gives the full signature ("Matrix<double>::multiply(...) const"); functions
// without one (C, extern "C", main) are known by their plain name. Compiler-generated functions
// (static initializers: "_GLOBAL__sub_I_...") are named for what they are, with their unit's file.
std::string functionName(Dwarf_Die* cu, Dwarf_Die* die) {
    const char* unit = dwarf_diename(cu);
    for (unsigned int attribute : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
        if (const char* linkage = stringAttribute(die, attribute))
            return readableName(linkage, unit ? unit : "");
    }
    const char* name = stringAttribute(die, DW_AT_name);
    return name ? readableName(name, unit ? unit : "") : std::string();
}

uint32_t callLine(Dwarf_Die* inlined) {
    Dwarf_Attribute attribute;
    Dwarf_Word line = 0;
    if (!dwarf_attr(inlined, DW_AT_call_line, &attribute) || dwarf_formudata(&attribute, &line))
        return 0;
    return static_cast<uint32_t>(line);
}

uint32_t sampledLine(Dwarf_Die* cu, Dwarf_Addr pc) {
    int line = 0;
    Dwarf_Line* entry = dwarf_getsrc_die(cu, pc);
    if (!entry || dwarf_lineno(entry, &line) != 0 || line < 0)
        return 0;
    return static_cast<uint32_t>(line);
}

struct SourcePlace {
    std::string file;
    uint32_t line = 0;
};

// The outermost inlined call inside `scope` (through its lexical blocks) whose code holds pc.
std::optional<Dwarf_Die> inlinedCallAt(Dwarf_Die* scope, Dwarf_Addr pc) {
    Dwarf_Die child;
    if (dwarf_child(scope, &child) != 0)
        return std::nullopt;
    do {
        if (dwarf_haspc(&child, pc) != 1)
            continue;
        if (dwarf_tag(&child) == DW_TAG_inlined_subroutine)
            return child;
        if (dwarf_tag(&child) == DW_TAG_lexical_block)
            return inlinedCallAt(&child, pc);
    } while (dwarf_siblingof(&child, &child) == 0);
    return std::nullopt;
}

// The file of an inlined call's call site (DW_AT_call_file, an index into the unit's files).
const char* callFile(Dwarf_Die* cu, Dwarf_Die* inlined) {
    Dwarf_Attribute attribute;
    Dwarf_Word index = 0;
    Dwarf_Files* files = nullptr;
    size_t count = 0;
    if (!dwarf_attr(inlined, DW_AT_call_file, &attribute) || dwarf_formudata(&attribute, &index) ||
        dwarf_getsrcfiles(cu, &files, &count) != 0 || index >= count)
        return nullptr;
    return dwarf_filesrc(files, index, nullptr, nullptr);
}

// Where the function's first instruction is in its own code: where the line table puts it, or,
// when that instruction is inlined code (a function whose first statement calls
// std::vector::size() starts in <bits/stl_vector.h>), the call site of that inlined call.
std::optional<SourcePlace> entryPlace(Dwarf_Die* cu, Dwarf_Die* function) {
    Dwarf_Addr entry = 0;
    if (dwarf_entrypc(function, &entry) != 0)
        return std::nullopt;
    if (std::optional<Dwarf_Die> inlined = inlinedCallAt(function, entry)) {
        const char* file = callFile(cu, &*inlined);
        const uint32_t line = callLine(&*inlined);
        if (!file || line == 0)
            return std::nullopt;
        return SourcePlace{file, line};
    }
    Dwarf_Line* line = dwarf_getsrc_die(cu, entry);
    int number = 0;
    const char* file = line ? dwarf_linesrc(line, nullptr, nullptr) : nullptr;
    if (!file || dwarf_lineno(line, &number) != 0 || number <= 0)
        return std::nullopt;
    return SourcePlace{file, static_cast<uint32_t>(number)};
}

// The function's definition. DW_AT_decl_file/line is where it was first declared: for a program's
// own malloc, GCC gives the declaration in <stdlib.h>. When the code lies in another file than
// that declaration, or no declaration is given (compiler-generated functions), the line table's
// place of its first instruction is the definition.
SourcePlace definitionPlace(Dwarf_Die* cu, Dwarf_Die* function) {
    SourcePlace declared;
    if (const char* file = dwarf_decl_file(function))
        declared.file = file;
    int line = 0;
    if (dwarf_decl_line(function, &line) == 0 && line > 0)
        declared.line = static_cast<uint32_t>(line);
    const std::optional<SourcePlace> entry = entryPlace(cu, function);
    if (entry && entry->file != declared.file) // also gives artificial functions a place
        return *entry;
    return declared;
}

SymbolizedFrame frameOf(Dwarf_Die* cu, Dwarf_Die* function, uint32_t line) {
    SymbolizedFrame frame;
    frame.function = functionName(cu, function);
    SourcePlace definition = definitionPlace(cu, function);
    frame.file = std::move(definition.file);
    frame.function_line = definition.line;
    frame.line = line;
    frame.inlined = dwarf_tag(function) == DW_TAG_inlined_subroutine;
    return frame;
}

// The frames at pc, innermost first: each inlined instance, then the subprogram that owns the
// machine code. Each inlined instance's DW_AT_call_line is the line executing in the frame
// around it.
std::vector<SymbolizedFrame> dwarfFrames(DwarfIndex& index, Dwarf_Die* cu, Dwarf_Addr pc) {
    std::vector<Dwarf_Die> functions = index.functionsAt(cu, pc);
    std::vector<SymbolizedFrame> frames;
    uint32_t line = sampledLine(cu, pc);
    for (auto function = functions.rbegin(); function != functions.rend(); ++function) {
        frames.push_back(frameOf(cu, &*function, line));
        line = callLine(&*function);
    }
    // Without a name for the subprogram the symbol table may know better.
    if (frames.empty() || frames.back().function.empty())
        return {};
    return frames;
}

// The file offset of a file address (what perf shows for unnamed code): they differ in a
// non-PIE executable, whose first segment is linked at 0x400000.
uint64_t fileOffset(Elf* elf, uint64_t address) {
    size_t count = 0;
    if (!elf || elf_getphdrnum(elf, &count) != 0)
        return address;
    for (size_t i = 0; i < count; ++i) {
        GElf_Phdr header;
        if (gelf_getphdr(elf, int(i), &header) && header.p_type == PT_LOAD &&
            address >= header.p_vaddr && address < header.p_vaddr + header.p_memsz)
            return address - header.p_vaddr + header.p_offset;
    }
    return address;
}

} // namespace

std::string pseudoFunctionName(const std::string& module_path, uint64_t file_address) {
    char offset[24];
    std::snprintf(offset, sizeof(offset), "+0x%llx", static_cast<unsigned long long>(file_address));
    return basename(module_path) + offset;
}

namespace {

// The bytes of this process's vDSO, from the [vdso] line of /proc/self/maps.
std::optional<std::span<const char>> ownVdso() {
    const auto* image = reinterpret_cast<const char*>(getauxval(AT_SYSINFO_EHDR));
    std::ifstream maps("/proc/self/maps");
    for (std::string line; image && std::getline(maps, line);) {
        unsigned long long start = 0, end = 0;
        if (line.ends_with("[vdso]") && std::sscanf(line.c_str(), "%llx-%llx", &start, &end) == 2 &&
            start == reinterpret_cast<uintptr_t>(image) && end > start)
            return std::span(image, size_t(end - start));
    }
    return std::nullopt;
}

// The vDSO has no file, but every process on this kernel maps the same image, and the collector
// runs where the program ran: a copy of the collector's own vDSO in a memory file gives libdw its
// symbols (clock_gettime, gettimeofday, ...). -1 when there is none to copy.
int vdsoImageFd() {
    const std::optional<std::span<const char>> image = ownVdso();
    if (!image)
        return -1;
    const int fd = memfd_create("vdso", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write(fd, image->data(), image->size()) != ssize_t(image->size()) ||
        lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

constexpr const char* kVdsoPath = "[vdso]";

} // namespace

struct Symbolizer::Session {
    Dwfl* dwfl = nullptr;
    Dwfl_Module* module = nullptr; // null when the file cannot be used
    DwarfIndex dwarf;
    std::unique_ptr<SymbolTable> symbols;            // built on first use
    std::unique_ptr<FunctionStarts> function_starts; // built on first use
    ~Session() {
        if (dwfl)
            dwfl_end(dwfl);
    }
};

Symbolizer::Symbolizer(const std::vector<std::string>& debuginfo_paths) {
    // Build-id lookups only use absolute directories.
    for (const std::string& path : debuginfo_paths)
        debuginfo_path_ += std::filesystem::absolute(path).string() + ":";
    debuginfo_path_ += kDefaultDebuginfoPath;
    debuginfo_path_pointer_ = debuginfo_path_.data();
    callbacks_.find_elf = dwfl_build_id_find_elf;
    callbacks_.find_debuginfo = dwfl_standard_find_debuginfo;
    callbacks_.section_address = dwfl_offline_section_address;
    callbacks_.debuginfo_path = &debuginfo_path_pointer_;
}

Symbolizer::~Symbolizer() = default;

Symbolizer::Session& Symbolizer::session(const ModuleFile& module) {
    std::unique_ptr<Session>& slot = sessions_[{module.path, module.build_id}];
    if (slot)
        return *slot;
    slot = std::make_unique<Session>();
    // Other pseudo paths ("[anon]", "[stack]") have no file: their addresses keep module+offset
    // names, as the vDSO's do when it cannot be copied.
    const bool vdso = module.path == kVdsoPath;
    const int fd = vdso ? vdsoImageFd() : -1;
    if (module.path.empty() || (module.path.front() == '[' && fd < 0))
        return *slot;

    std::string problem;
    slot->dwfl = dwfl_begin(&callbacks_);
    if (slot->dwfl) {
        // Base 0: the session's addresses are the file's own virtual addresses. libdw owns fd.
        slot->module = dwfl_report_elf(slot->dwfl, basename(module.path).c_str(),
                                       module.path.c_str(), fd, 0, false);
        dwfl_report_end(slot->dwfl, nullptr, nullptr);
    } else if (fd >= 0) {
        close(fd);
    }
    if (!slot->module) {
        problem = dwfl_errmsg(-1);
    } else if (!module.build_id.empty()) {
        const unsigned char* bits = nullptr;
        GElf_Addr vaddr = 0;
        const int size = dwfl_module_build_id(slot->module, &bits, &vaddr);
        if (size > 0 && hexString(std::span(bits, static_cast<size_t>(size))) != module.build_id) {
            problem = "the file changed since the run (build id differs)";
            slot->module = nullptr;
        }
    }
    if (!problem.empty()) {
        warnings_.push_back("cannot symbolize " + module.path + ": " + problem +
                            "; its frames are shown as " + basename(module.path) + "+0xOFFSET");
    }
    return *slot;
}

// Where code no symbol names is shown: the file offset of the start of its function (one row per
// unnamed function, not one per sampled instruction), or the address itself without a file.
uint64_t Symbolizer::unnamedFunctionOffset(Session& open, uint64_t file_address) {
    if (!open.module)
        return file_address;
    Dwarf_Addr bias = 0;
    Elf* elf = dwfl_module_getelf(open.module, &bias);
    if (!open.function_starts)
        open.function_starts = std::make_unique<FunctionStarts>(elf);
    const uint64_t start =
        open.function_starts->functionHolding(file_address - bias).value_or(file_address - bias);
    return fileOffset(elf, start);
}

std::vector<SymbolizedFrame> Symbolizer::symbolize(const ModuleFile& module,
                                                   uint64_t file_address) {
    Session& open = session(module);
    if (open.module) {
        Dwarf_Addr bias = 0;
        if (Dwarf_Die* cu = dwfl_module_addrdie(open.module, file_address, &bias)) {
            std::vector<SymbolizedFrame> frames = dwarfFrames(open.dwarf, cu, file_address - bias);
            if (!frames.empty())
                return frames;
        }
        if (!open.symbols)
            open.symbols = std::make_unique<SymbolTable>(open.module);
        if (const char* name = open.symbols->find(file_address))
            return {SymbolizedFrame{readableName(name), {}, 0, 0, false}};
    }
    return {
        SymbolizedFrame{pseudoFunctionName(module.path, unnamedFunctionOffset(open, file_address)),
                        {},
                        0,
                        0,
                        false}};
}

} // namespace hprof
