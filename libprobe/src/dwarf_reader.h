// Bounded reading of DWARF-encoded data (.eh_frame, .eh_frame_hdr, CFA programs). Reading past
// `end` never touches memory: it clears `ok` and yields zeros, so the caller checks once.
#pragma once

#include <cstdint>
#include <cstring>

namespace hprof::probe {

// DW_EH_PE_* pointer encodings.
inline constexpr uint8_t kEncodingOmit = 0xff;

struct DwarfReader {
    const uint8_t* pos;
    const uint8_t* end;
    bool ok = true;

    bool has(uint64_t bytes) {
        if (uint64_t(end - pos) < bytes)
            ok = false;
        return ok;
    }
    template <class T> T fixed() {
        T value{};
        if (has(sizeof(T))) {
            memcpy(&value, pos, sizeof(T));
            pos += sizeof(T);
        }
        return value;
    }
    uint8_t u8() { return fixed<uint8_t>(); }
    uint64_t uleb() {
        uint64_t value = 0;
        for (unsigned shift = 0; has(1); shift += 7) {
            uint8_t byte = *pos++;
            if (shift < 64)
                value |= uint64_t(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        return 0;
    }
    int64_t sleb() {
        int64_t value = 0;
        unsigned shift = 0;
        uint8_t byte = 0;
        do {
            if (!has(1))
                return 0;
            byte = *pos++;
            if (shift < 64)
                value |= int64_t(byte & 0x7f) << shift;
            shift += 7;
        } while (byte & 0x80);
        if (shift < 64 && (byte & 0x40))
            value |= -(int64_t(1) << shift);
        return value;
    }
    void skip(uint64_t bytes) {
        if (has(bytes))
            pos += bytes;
    }
    // A pointer in DW_EH_PE encoding. `data_base` serves DW_EH_PE_datarel (.eh_frame_hdr).
    // Indirect pointers are not supported (gcc does not emit them for code addresses).
    uint64_t encoded(uint8_t encoding, uint64_t data_base = 0) {
        if (encoding == kEncodingOmit)
            return 0;
        uint64_t where = uint64_t(pos);
        uint64_t value = 0;
        switch (encoding & 0x0f) {
        case 0x00:
            value = fixed<uint64_t>();
            break; // absptr
        case 0x01:
            value = uleb();
            break; // uleb128
        case 0x02:
            value = fixed<uint16_t>();
            break; // udata2
        case 0x03:
            value = fixed<uint32_t>();
            break; // udata4
        case 0x04:
            value = fixed<uint64_t>();
            break; // udata8
        case 0x09:
            value = uint64_t(sleb());
            break; // sleb128
        case 0x0a:
            value = uint64_t(int64_t(fixed<int16_t>()));
            break; // sdata2
        case 0x0b:
            value = uint64_t(int64_t(fixed<int32_t>()));
            break; // sdata4
        case 0x0c:
            value = fixed<uint64_t>();
            break; // sdata8
        default:
            ok = false;
            return 0;
        }
        switch (encoding & 0x70) {
        case 0x00:
            break; // absolute
        case 0x10:
            value += where;
            break; // pcrel
        case 0x30:
            value += data_base;
            break; // datarel
        default:
            ok = false;
            return 0;
        }
        if (encoding & 0x80)
            ok = false;
        return value;
    }
};

} // namespace hprof::probe
