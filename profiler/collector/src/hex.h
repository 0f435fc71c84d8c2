// Lowercase hex text of a byte string (how build ids are shown and compared).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace hprof {

inline std::string hexString(std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (uint8_t byte : bytes) {
        text += kDigits[byte >> 4];
        text += kDigits[byte & 0xf];
    }
    return text;
}

} // namespace hprof
