// Where functions start in an ELF file without symbols, from its .eh_frame_hdr search table: even
// stripped files keep it (unwinding needs it), and it lists the start of every function that has
// unwind information, sorted.
#pragma once

#include <cstdint>
#include <libelf.h>
#include <optional>
#include <vector>

namespace hprof {

class FunctionStarts {
  public:
    explicit FunctionStarts(Elf* elf); // an unusable table gives an empty list
    // The start (a file address) of the function holding `address`, nullopt if none is known.
    std::optional<uint64_t> functionHolding(uint64_t address) const;

  private:
    std::vector<uint64_t> starts_; // sorted
};

} // namespace hprof
