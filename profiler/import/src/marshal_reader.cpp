#include "marshal_reader.h"

#include "hprof/error.h"

#include <cmath>
#include <cstring>

namespace hprof {
namespace {

constexpr uint8_t kFlagRef = 0x80;
// pstats needs four levels (dict, value tuple, callers dict, key tuple); CPython allows 2000.
constexpr int kMaxDepth = 64;

class MarshalParser {
  public:
    explicit MarshalParser(std::string_view bytes) : bytes_(bytes) {}

    MarshalPointer object(int depth) {
        if (depth > kMaxDepth)
            fail("nested too deep");
        const uint8_t code = byte();
        const bool keep = (code & kFlagRef) != 0;
        size_t slot = 0;
        if (keep) { // the slot is reserved before the contents, as CPython numbers them
            slot = refs_.size();
            refs_.emplace_back();
        }
        MarshalPointer value = body(code & ~kFlagRef, depth);
        if (keep)
            refs_[slot] = value;
        return value;
    }

    void expectEnd() const {
        if (position_ != bytes_.size())
            fail("unexpected bytes after the data");
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("not a valid marshal file (" + what + " at byte " + std::to_string(position_) +
                    ")");
    }

    void need(size_t count) const {
        if (count > bytes_.size() - position_)
            throw Error("truncated (marshal data ends at byte " + std::to_string(bytes_.size()) +
                        ")");
    }

    uint8_t byte() {
        need(1);
        return uint8_t(bytes_[position_++]);
    }

    uint32_t u32() {
        need(4);
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i)
            value |= uint32_t(uint8_t(bytes_[position_ + i])) << (8 * i);
        position_ += 4;
        return value;
    }

    int32_t i32() { return int32_t(u32()); }

    // An element count; each element takes at least one byte, so a count beyond the rest of
    // the file is corrupt (and must not reserve memory).
    size_t count(int64_t value) const {
        if (value < 0)
            fail("bad length " + std::to_string(value));
        if (uint64_t(value) > bytes_.size() - position_)
            throw Error("truncated (an object of " + std::to_string(value) + " at byte " +
                        std::to_string(position_) + " runs past the end at byte " +
                        std::to_string(bytes_.size()) + ")");
        return size_t(value);
    }

    std::string text(size_t length) {
        need(length);
        std::string result(bytes_.substr(position_, length));
        position_ += length;
        return result;
    }

    static MarshalPointer make(MarshalValue value) {
        return std::make_shared<const MarshalValue>(std::move(value));
    }

    MarshalPointer integer(int64_t value, MarshalValue::Kind kind = MarshalValue::Kind::Int) {
        return make(MarshalValue{kind, value, 0, {}, {}});
    }

    // 'l': a digit count (its sign is the number's), then base-2^15 digits, least significant
    // first. Call counts fit in 64 bits; anything larger is refused rather than wrapped.
    MarshalPointer bigInteger() {
        const int32_t signed_digits = i32();
        const int64_t digits = signed_digits < 0 ? -int64_t(signed_digits) : signed_digits;
        need(size_t(count(digits)) * 2);
        uint64_t magnitude = 0;
        for (int64_t i = 0; i < digits; ++i) {
            const uint32_t digit = uint32_t(uint8_t(bytes_[position_])) |
                                   uint32_t(uint8_t(bytes_[position_ + 1])) << 8;
            position_ += 2;
            if (digit >= (1u << 15))
                fail("bad digit");
            if (digit != 0 && (i >= 5 || (i == 4 && digit >= 8)))
                fail("integer too large");
            magnitude |= uint64_t(digit) << (15 * i);
        }
        return integer(signed_digits < 0 ? -int64_t(magnitude) : int64_t(magnitude));
    }

    MarshalPointer binaryFloat() {
        need(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits |= uint64_t(uint8_t(bytes_[position_ + i])) << (8 * i);
        position_ += 8;
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        return make(MarshalValue{MarshalValue::Kind::Float, 0, value, {}, {}});
    }

    // 'f': the old text float, a length byte then the digits.
    MarshalPointer textFloat() {
        const std::string digits = text(byte());
        char* end = nullptr;
        const double value = std::strtod(digits.c_str(), &end);
        if (digits.empty() || end != digits.c_str() + digits.size())
            fail("bad float");
        return make(MarshalValue{MarshalValue::Kind::Float, 0, value, {}, {}});
    }

    MarshalPointer string(size_t length) {
        return make(MarshalValue{MarshalValue::Kind::String, 0, 0, text(count(length)), {}});
    }

    MarshalPointer sequence(MarshalValue::Kind kind, size_t length, int depth) {
        MarshalValue value{kind, 0, 0, {}, {}};
        for (size_t i = 0; i < length; ++i)
            value.items.push_back(object(depth + 1));
        return make(std::move(value));
    }

    // '{': key, value pairs until a '0' (NULL) key.
    MarshalPointer dict(int depth) {
        MarshalValue value{MarshalValue::Kind::Dict, 0, 0, {}, {}};
        while (true) {
            need(1);
            if (bytes_[position_] == '0') {
                ++position_;
                return make(std::move(value));
            }
            value.items.push_back(object(depth + 1));
            value.items.push_back(object(depth + 1));
        }
    }

    MarshalPointer reference() {
        const uint32_t index = u32();
        if (index >= refs_.size() || !refs_[index])
            fail("bad back-reference " + std::to_string(index));
        return refs_[index];
    }

    MarshalPointer body(uint8_t code, int depth) {
        using Kind = MarshalValue::Kind;
        switch (code) {
        case 'N':
            return make(MarshalValue{});
        case 'F':
            return integer(0, Kind::Bool);
        case 'T':
            return integer(1, Kind::Bool);
        case 'i':
            return integer(i32());
        case 'l':
            return bigInteger();
        case 'g':
            return binaryFloat();
        case 'f':
            return textFloat();
        case 's': // bytes
        case 't': // interned str
        case 'u': // str
        case 'a': // ASCII str
        case 'A': // interned ASCII str
            return string(count(i32()));
        case 'z': // short ASCII str
        case 'Z': // short interned ASCII str
            return string(byte());
        case '(':
            return sequence(Kind::Tuple, count(i32()), depth);
        case ')':
            return sequence(Kind::Tuple, byte(), depth);
        case '[':
            return sequence(Kind::List, count(i32()), depth);
        case '<':
        case '>':
            return sequence(Kind::Set, count(i32()), depth);
        case '{':
            return dict(depth);
        case 'r':
            return reference();
        }
        --position_;
        fail("unsupported type code " + std::to_string(code));
    }

    std::string_view bytes_;
    size_t position_ = 0;
    std::vector<MarshalPointer> refs_;
};

} // namespace

MarshalPointer readMarshal(std::string_view bytes) {
    MarshalParser parser(bytes);
    MarshalPointer value = parser.object(0);
    parser.expectEnd();
    return value;
}

} // namespace hprof
