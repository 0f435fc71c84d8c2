#include "symbol_table.h"

#include <algorithm>

namespace hprof {

SymbolTable::SymbolTable(Dwfl_Module* module) {
    const int count = dwfl_module_getsymtab(module);
    for (int i = 1; i < count; ++i) {
        GElf_Sym symbol;
        GElf_Addr address = 0;
        const char* name =
            dwfl_module_getsym_info(module, i, &symbol, &address, nullptr, nullptr, nullptr);
        const int type = GELF_ST_TYPE(symbol.st_info);
        if (name && *name && symbol.st_shndx != SHN_UNDEF &&
            (type == STT_FUNC || type == STT_GNU_IFUNC))
            symbols_.push_back({address, symbol.st_size, name});
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
