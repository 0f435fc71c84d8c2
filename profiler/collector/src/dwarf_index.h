// Finds the DWARF function DIEs at an address without walking a whole compilation unit each
// time: each CU's subprograms are indexed by address range once, then only the one subprogram
// containing the address is searched for the inlined instances nested at it.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include <elfutils/libdw.h>

namespace hprof {

class DwarfIndex {
  public:
    // The function DIEs containing pc, outermost (the subprogram) first, then each inlined
    // instance nested in it. Empty when no subprogram of the CU covers pc.
    std::vector<Dwarf_Die> functionsAt(Dwarf_Die* cu, Dwarf_Addr pc);

  private:
    struct Range {
        Dwarf_Addr low;
        Dwarf_Addr high;
        Dwarf_Off subprogram;
    };
    const std::vector<Range>& rangesOf(Dwarf_Die* cu);

    std::unordered_map<Dwarf_Off, std::vector<Range>> cu_ranges_; // by CU DIE offset
};

} // namespace hprof
