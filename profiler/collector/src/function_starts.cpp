#include "function_starts.h"

#include <algorithm>
#include <cstring>
#include <gelf.h>

namespace hprof {
namespace {

// .eh_frame_hdr as GNU ld and lld write it: version 1, the table as pairs of 4-byte signed
// offsets from the header's own address (DW_EH_PE_datarel | DW_EH_PE_sdata4) and the entry count
// as a 4-byte unsigned number. Other encodings are left alone (no list: addresses keep their
// own names).
constexpr uint8_t kVersion = 1;
constexpr uint8_t kCountUdata4 = 0x03;
constexpr uint8_t kTableDatarelSdata4 = 0x3b;
constexpr size_t kHeaderBytes = 12; // 4 header bytes, eh_frame_ptr, fde_count

std::optional<GElf_Phdr> ehFrameHeader(Elf* elf) {
    size_t count = 0;
    if (elf_getphdrnum(elf, &count) != 0)
        return std::nullopt;
    for (size_t i = 0; i < count; ++i) {
        GElf_Phdr header;
        if (gelf_getphdr(elf, int(i), &header) && header.p_type == PT_GNU_EH_FRAME)
            return header;
    }
    return std::nullopt;
}

template <class T> T readAt(const uint8_t* bytes) {
    T value;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

} // namespace

FunctionStarts::FunctionStarts(Elf* elf) {
    const std::optional<GElf_Phdr> header = elf ? ehFrameHeader(elf) : std::nullopt;
    if (!header || header->p_filesz < kHeaderBytes)
        return;
    Elf_Data* data =
        elf_getdata_rawchunk(elf, int64_t(header->p_offset), header->p_filesz, ELF_T_BYTE);
    if (!data || data->d_size < kHeaderBytes)
        return;
    const auto* bytes = static_cast<const uint8_t*>(data->d_buf);
    if (bytes[0] != kVersion || bytes[2] != kCountUdata4 || bytes[3] != kTableDatarelSdata4)
        return;
    const uint64_t entries = readAt<uint32_t>(bytes + 8);
    if (entries > (data->d_size - kHeaderBytes) / 8)
        return; // a count the table cannot hold: a damaged file
    starts_.reserve(entries);
    for (uint64_t i = 0; i < entries; ++i) {
        const int32_t offset = readAt<int32_t>(bytes + kHeaderBytes + 8 * i);
        starts_.push_back(header->p_vaddr + uint64_t(int64_t(offset)));
    }
    std::sort(starts_.begin(), starts_.end()); // sorted by the linker; a damaged file may not be
}

std::optional<uint64_t> FunctionStarts::functionHolding(uint64_t address) const {
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), address);
    if (after == starts_.begin())
        return std::nullopt;
    return *(after - 1);
}

} // namespace hprof
