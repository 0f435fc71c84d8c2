#include "dwarf_index.h"

#include <algorithm>
#include <dwarf.h>

namespace hprof {
namespace {

template <class Visit> void forEachChild(Dwarf_Die* parent, Visit visit) {
    Dwarf_Die child;
    if (dwarf_child(parent, &child) != 0)
        return;
    do {
        if (!visit(child))
            return;
    } while (dwarf_siblingof(&child, &child) == 0);
}

// Subprograms with code sit at the top of a CU or inside namespaces and classes.
template <class Range> void collectRanges(Dwarf_Die* scope, std::vector<Range>& ranges) {
    forEachChild(scope, [&](Dwarf_Die& child) {
        switch (dwarf_tag(&child)) {
        case DW_TAG_subprogram: {
            Dwarf_Addr base = 0, low = 0, high = 0;
            for (ptrdiff_t offset = 0;
                 (offset = dwarf_ranges(&child, offset, &base, &low, &high)) > 0;)
                ranges.push_back(Range{low, high, dwarf_dieoffset(&child)});
            break;
        }
        case DW_TAG_namespace:
        case DW_TAG_class_type:
        case DW_TAG_structure_type:
        case DW_TAG_union_type:
            collectRanges(&child, ranges);
            break;
        default:
            break;
        }
        return true;
    });
}

} // namespace

const std::vector<DwarfIndex::Range>& DwarfIndex::rangesOf(Dwarf_Die* cu) {
    const auto [position, inserted] = cu_ranges_.try_emplace(dwarf_dieoffset(cu));
    if (inserted) {
        std::vector<Range>& ranges = position->second;
        collectRanges(cu, ranges);
        std::sort(ranges.begin(), ranges.end(),
                  [](const Range& a, const Range& b) { return a.low < b.low; });
    }
    return position->second;
}

std::vector<Dwarf_Die> DwarfIndex::functionsAt(Dwarf_Die* cu, Dwarf_Addr pc) {
    const std::vector<Range>& ranges = rangesOf(cu);
    const auto after =
        std::upper_bound(ranges.begin(), ranges.end(), pc,
                         [](Dwarf_Addr value, const Range& range) { return value < range.low; });
    if (after == ranges.begin() || pc >= (after - 1)->high)
        return {};
    Dwarf_Die subprogram;
    if (!dwarf_offdie(dwarf_cu_getdwarf(cu->cu), (after - 1)->subprogram, &subprogram))
        return {};

    // Descend through the lexical blocks and inlined instances that contain pc.
    std::vector<Dwarf_Die> functions{subprogram};
    Dwarf_Die scope = subprogram;
    for (bool descended = true; descended;) {
        descended = false;
        forEachChild(&scope, [&](Dwarf_Die& child) {
            const int tag = dwarf_tag(&child);
            if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) &&
                dwarf_haspc(&child, pc) == 1) {
                if (tag == DW_TAG_inlined_subroutine)
                    functions.push_back(child);
                scope = child;
                descended = true;
                return false;
            }
            return true;
        });
    }
    return functions;
}

} // namespace hprof
