// The building blocks of the *.hprof format (docs/profile-format.md): little-endian fixed-width
// integers, LEB128 varints, zigzag-encoded signed varints and length-prefixed strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace hprof {

class ByteWriter {
  public:
    void u8(uint8_t value) { bytes_.push_back(char(value)); }
    void fixed32(uint32_t value);
    void fixed64(uint64_t value);
    void varint(uint64_t value);
    void svarint(int64_t value);
    void string(std::string_view text);
    void raw(std::string_view bytes) { bytes_.append(bytes); }
    // Empties the buffer but keeps its memory, for the next section to reuse.
    void clear() { bytes_.clear(); }
    // Room for `size` bytes in all: a large table's encoding then does not grow by copying.
    void reserve(size_t size) { bytes_.reserve(size); }

    const std::string& bytes() const { return bytes_; }

  private:
    std::string bytes_;
};

// Reads from a byte range it does not own. Every read is bounds-checked; a failure throws
// hprof::Error naming `context` (e.g. "section 'FUNC'") and the offset.
class ByteReader {
  public:
    ByteReader(std::string_view bytes, std::string context)
        : bytes_(bytes), context_(std::move(context)) {}

    uint8_t u8();
    uint32_t fixed32();
    uint64_t fixed64();
    uint64_t varint();
    int64_t svarint();
    uint32_t varint32(); // a varint that must fit 32 bits
    int32_t svarint32();
    bool flag(); // a byte that must be 0 or 1
    std::string string();
    std::string_view take(size_t size);
    // A table's element count; each element needs at least min_bytes, so a corrupt count can
    // never make the caller reserve more than the remaining bytes justify.
    size_t count(size_t min_bytes);

    size_t offset() const { return offset_; }
    size_t remaining() const { return bytes_.size() - offset_; }
    void expectEnd() const;
    [[noreturn]] void fail(const std::string& what) const;
    // A long decoding loop calls reportProgress() now and then; it passes the offset reached to
    // the listener, if any (which may throw to cancel the read).
    void setProgressListener(const std::function<void(size_t offset)>* listener) {
        listener_ = listener;
    }
    void reportProgress() const {
        if (listener_)
            (*listener_)(offset_);
    }

  private:
    std::string_view bytes_;
    std::string context_;
    size_t offset_ = 0;
    const std::function<void(size_t)>* listener_ = nullptr;
};

} // namespace hprof
