#include "byte_codec.h"

#include "hprof/error.h"

namespace hprof {
namespace {

uint64_t zigzag(int64_t value) {
    return (uint64_t(value) << 1) ^ uint64_t(value >> 63);
}

int64_t unzigzag(uint64_t value) {
    return int64_t((value >> 1) ^ (~(value & 1) + 1));
}

} // namespace

void ByteWriter::fixed32(uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        u8(uint8_t(value >> shift));
}

void ByteWriter::fixed64(uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8)
        u8(uint8_t(value >> shift));
}

void ByteWriter::varint(uint64_t value) {
    while (value >= 0x80) {
        u8(uint8_t(value | 0x80));
        value >>= 7;
    }
    u8(uint8_t(value));
}

void ByteWriter::svarint(int64_t value) {
    varint(zigzag(value));
}

void ByteWriter::string(std::string_view text) {
    varint(text.size());
    raw(text);
}

std::string_view ByteReader::take(size_t size) {
    if (size > remaining())
        fail("needs " + std::to_string(size) + " bytes, only " + std::to_string(remaining()) +
             " left");
    std::string_view result = bytes_.substr(offset_, size);
    offset_ += size;
    return result;
}

uint8_t ByteReader::u8() {
    return uint8_t(take(1)[0]);
}

uint32_t ByteReader::fixed32() {
    std::string_view bytes = take(4);
    uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | uint8_t(bytes[i]);
    return value;
}

uint64_t ByteReader::fixed64() {
    std::string_view bytes = take(8);
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | uint8_t(bytes[i]);
    return value;
}

uint64_t ByteReader::varint() {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t byte = u8();
        if (shift == 63 && byte > 1)
            fail("varint overflows 64 bits");
        value |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
    fail("varint longer than 10 bytes");
}

int64_t ByteReader::svarint() {
    return unzigzag(varint());
}

uint32_t ByteReader::varint32() {
    uint64_t value = varint();
    if (value > UINT32_MAX)
        fail("value " + std::to_string(value) + " does not fit 32 bits");
    return uint32_t(value);
}

int32_t ByteReader::svarint32() {
    int64_t value = svarint();
    if (value < INT32_MIN || value > INT32_MAX)
        fail("value " + std::to_string(value) + " does not fit 32 bits");
    return int32_t(value);
}

bool ByteReader::flag() {
    uint8_t value = u8();
    if (value > 1)
        fail("flag byte is " + std::to_string(value) + ", expected 0 or 1");
    return value == 1;
}

std::string ByteReader::string() {
    uint64_t size = varint();
    if (size > remaining())
        fail("string of " + std::to_string(size) + " bytes, only " + std::to_string(remaining()) +
             " left");
    return std::string(take(size));
}

size_t ByteReader::count(size_t min_bytes) {
    uint64_t count = varint();
    if (count > remaining() / min_bytes)
        fail("table of " + std::to_string(count) + " entries cannot fit the " +
             std::to_string(remaining()) + " bytes left");
    return size_t(count);
}

void ByteReader::expectEnd() const {
    if (remaining() != 0)
        fail(std::to_string(remaining()) + " unexpected bytes at the end");
}

void ByteReader::fail(const std::string& what) const {
    throw Error(context_ + ": " + what + " (at byte " + std::to_string(offset_) + " of " +
                std::to_string(bytes_.size()) + ")");
}

} // namespace hprof
