#include "symbol_table.h"

#include <algorithm>

namespace hprof {

SymbolTable::SymbolTable(Dwfl_Module* module) {
    const int count = dwfl_module_getsymtab(module);
    for (int i = 1; i < count; ++i) {
        GElf_Sym symbol;
        GElf_Addr address = 0;
        GElf_Word section = 0;
        Elf* elf = nullptr;
        Dwarf_Addr bias = 0;
        const char* name =
            dwfl_module_getsym_info(module, i, &symbol, &address, &section, &elf, &bias);
        const int type = GELF_ST_TYPE(symbol.st_info);
        if (!name || !*name || section == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC))
            continue;
        uint64_t size = symbol.st_size;
        // A symbol without a size (hand-written assembly, _init) covers at most the rest of its
        // section: the PLT right after .init is not part of _init.
        GElf_Shdr header;
        if (size == 0 && elf && gelf_getshdr(elf_getscn(elf, section), &header))
            size = header.sh_addr + bias + header.sh_size - address;
        symbols_.push_back({address, size, name});
    }
    // Of several names for one address (aliases), keep one that has a size.
    std::stable_sort(symbols_.begin(), symbols_.end(), [](const Symbol& a, const Symbol& b) {
        return a.address != b.address ? a.address < b.address : a.size > b.size;
    });
    symbols_.erase(
        std::unique(symbols_.begin(), symbols_.end(),
                    [](const Symbol& a, const Symbol& b) { return a.address == b.address; }),
        symbols_.end());
}

const char* SymbolTable::find(uint64_t address) const {
    const auto after = std::upper_bound(
        symbols_.begin(), symbols_.end(), address,
        [](uint64_t value, const Symbol& symbol) { return value < symbol.address; });
    if (after == symbols_.begin())
        return nullptr;
    const Symbol& symbol = *(after - 1);
    if (symbol.size != 0 && address >= symbol.address + symbol.size)
        return nullptr;
    return symbol.name;
}

} // namespace hprof
