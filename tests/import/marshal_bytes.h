// Builds Python marshal bytes by hand for the import tests: each function returns the encoding
// of one value, so that a test spells out the file it reads.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>

namespace hprof::test::marshal {

inline std::string int32Bytes(int32_t value) {
    std::string bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
        bytes[i] = char((uint32_t(value) >> (8 * i)) & 0xff);
    return bytes;
}

inline std::string integer(int32_t value) {
    return "i" + int32Bytes(value);
}

inline std::string real(double value) {
    std::string bytes = "g" + std::string(8, '\0');
    std::memcpy(bytes.data() + 1, &value, 8);
    return bytes;
}

// 'u': a str of any length.
inline std::string text(const std::string& value) {
    return "u" + int32Bytes(int32_t(value.size())) + value;
}

// 'z': a short ASCII str, as CPython writes most names.
inline std::string shortText(const std::string& value) {
    return "z" + std::string(1, char(value.size())) + value;
}

inline std::string tuple(std::initializer_list<std::string> items) {
    std::string bytes = ")" + std::string(1, char(items.size()));
    for (const std::string& item : items)
        bytes += item;
    return bytes;
}

inline std::string dict(std::initializer_list<std::pair<std::string, std::string>> items) {
    std::string bytes = "{";
    for (const auto& [key, value] : items)
        bytes += key + value;
    return bytes + "0";
}

// The same object with FLAG_REF set: later 'r' references may name it.
inline std::string kept(std::string encoded) {
    encoded[0] = char(uint8_t(encoded[0]) | 0x80);
    return encoded;
}

inline std::string reference(int32_t index) {
    return "r" + int32Bytes(index);
}

} // namespace hprof::test::marshal
