// The part of Python's marshal format (version 4, as marshal.dump writes it) that a pstats file
// needs: dicts, tuples, ints, floats and strings. Python has no C++ library for it, and these
// five codes are all pstats.Stats reads back (../shared/notes/formats.md).
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace hprof {

class MarshalWriter {
  public:
    explicit MarshalWriter(std::ostream& out) : out_(out) {}

    void integer(uint64_t value);       // 'i', or 'l' (15-bit digits) beyond int32
    void real(double value);            // 'g': 8-byte IEEE double
    void string(std::string_view text); // 'u': UTF-8, invalid bytes replaced by U+FFFD
    // A tuple of `size` elements: the caller writes them next.
    void tuple(size_t size);
    // A dict: the caller writes key, value pairs, then endDict().
    void beginDict();
    void endDict();

  private:
    void byte(uint8_t value);
    void int32(int32_t value);

    std::ostream& out_;
};

} // namespace hprof
