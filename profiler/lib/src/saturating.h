// Arithmetic on times read from files: sums that saturate (a forged value near INT64_MAX must
// not overflow) and shares that survive a zero whole.
#pragma once

#include <cstdint>

namespace hprof {

inline void addSaturating(int64_t& sum, int64_t value) {
    if (__builtin_add_overflow(sum, value, &sum))
        sum = value > 0 ? INT64_MAX : INT64_MIN;
}

inline int64_t subtractSaturating(int64_t a, int64_t b) {
    int64_t difference = 0;
    if (__builtin_sub_overflow(a, b, &difference))
        return b > 0 ? INT64_MIN : INT64_MAX;
    return difference;
}

// part / whole, 0 when whole is 0.
inline double share(int64_t part, int64_t whole) {
    return whole == 0 ? 0.0 : double(part) / double(whole);
}

} // namespace hprof
