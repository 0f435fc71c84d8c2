#include "marshal_writer.h"

#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace hprof {
namespace {

// Bytes a UTF-8 sequence starting with `lead` has; 0 when `lead` cannot start one.
size_t sequenceLength(uint8_t lead) {
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}

// Whether text[at, at + length) is one well-formed UTF-8 character (no overlong forms, no
// surrogates, nothing beyond U+10FFFF): Python's decoder refuses anything else.
bool wellFormed(std::string_view text, size_t at, size_t length) {
    if (length == 0 || at + length > text.size())
        return false;
    uint32_t code = uint8_t(text[at]) & (0xff >> (length + 1));
    for (size_t i = 1; i < length; ++i) {
        const uint8_t next = uint8_t(text[at + i]);
        if ((next & 0xc0) != 0x80)
            return false;
        code = (code << 6) | (next & 0x3f);
    }
    constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    return code >= kSmallest[length] && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
}

std::string validUtf8(std::string_view text) {
    std::string valid;
    valid.reserve(text.size());
    for (size_t at = 0; at < text.size();) {
        const size_t length = sequenceLength(uint8_t(text[at]));
        if (wellFormed(text, at, length)) {
            valid.append(text.substr(at, length));
            at += length;
        } else {
            valid += "\xef\xbf\xbd"; // U+FFFD
            ++at;
        }
    }
    return valid;
}

} // namespace

void MarshalWriter::byte(uint8_t value) {
    out_.put(char(value));
}

void MarshalWriter::int32(int32_t value) {
    const uint32_t bits = uint32_t(value);
    for (int shift = 0; shift < 32; shift += 8)
        byte(uint8_t(bits >> shift));
}

void MarshalWriter::integer(uint64_t value) {
    if (value <= uint64_t(std::numeric_limits<int32_t>::max())) {
        byte('i');
        int32(int32_t(value));
        return;
    }
    std::vector<uint16_t> digits; // base 2^15, least significant first
    for (; value > 0; value >>= 15)
        digits.push_back(uint16_t(value & 0x7fff));
    byte('l');
    int32(int32_t(digits.size()));
    for (uint16_t digit : digits) {
        byte(uint8_t(digit));
        byte(uint8_t(digit >> 8));
    }
}

void MarshalWriter::real(double value) {
    static_assert(std::endian::native == std::endian::little, "marshal doubles are little-endian");
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    byte('g');
    out_.write(bytes, sizeof bytes);
}

void MarshalWriter::string(std::string_view text) {
    const std::string valid = validUtf8(text);
    byte('u');
    int32(int32_t(valid.size()));
    out_.write(valid.data(), std::streamsize(valid.size()));
}

void MarshalWriter::tuple(size_t size) {
    if (size < 256) {
        byte(')');
        byte(uint8_t(size));
    } else {
        byte('(');
        int32(int32_t(size));
    }
}

void MarshalWriter::beginDict() {
    byte('{');
}

void MarshalWriter::endDict() {
    byte('0');
}

} // namespace hprof
