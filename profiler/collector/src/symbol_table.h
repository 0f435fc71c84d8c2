// A module's ELF function symbols sorted by address: built once per module, then each lookup
// is a binary search (dwfl_module_addrinfo scans the whole table on every call).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <elfutils/libdwfl.h>

namespace hprof {

class SymbolTable {
  public:
    explicit SymbolTable(Dwfl_Module* module);
    // The (mangled) name of the function symbol covering address, or nullptr.
    const char* find(uint64_t address) const;

  private:
    struct Symbol {
        uint64_t address;
        uint64_t size;    // 0: extends to the next symbol (hand-written assembly)
        const char* name; // owned by libelf, lives as long as the module
    };
    std::vector<Symbol> symbols_; // sorted by address, one per address
};

} // namespace hprof
