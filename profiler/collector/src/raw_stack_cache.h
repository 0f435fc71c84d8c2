// Remembers the stack node of each distinct raw address sequence, so a stack seen again (the
// common case: programs spend their time in a few paths) costs one hash lookup instead of
// resolving and interning every frame. Valid only while the process's module map is unchanged.
#pragma once

#include "hprof/typed_id.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <unordered_set>
#include <vector>

namespace hprof {

class RawStackCache {
  public:
    // An invalid id when the sequence is not cached.
    StackId find(std::span<const uint64_t> addresses) const {
        const auto found = entries_.find(Lookup{hashOf(addresses), addresses});
        return found == entries_.end() ? StackId() : found->stack;
    }
    void insert(std::span<const uint64_t> addresses, StackId stack) {
        // Bounded, so that a profile whose stacks never repeat does not double its memory.
        if (entries_.size() < kMaxEntries)
            entries_.insert(Entry{hashOf(addresses), {addresses.begin(), addresses.end()}, stack});
    }
    void clear() { entries_.clear(); }

  private:
    static constexpr size_t kMaxEntries = 1 << 20;

    // The hash is stored with each entry: rehashing and bucket walks then never touch (and
    // never rehash) the address arrays.
    struct Entry {
        size_t hash;
        std::vector<uint64_t> addresses;
        StackId stack;
    };
    struct Lookup {
        size_t hash;
        std::span<const uint64_t> addresses;
    };

    static size_t hashOf(std::span<const uint64_t> addresses) {
        uint64_t hash = addresses.size();
        for (uint64_t address : addresses) {
            hash = (hash ^ address) * 0x9e3779b97f4a7c15ULL;
            hash ^= hash >> 29;
        }
        return hash;
    }

    struct Hash {
        using is_transparent = void;
        size_t operator()(const Entry& entry) const noexcept { return entry.hash; }
        size_t operator()(const Lookup& lookup) const noexcept { return lookup.hash; }
    };
    struct Equal {
        using is_transparent = void;
        bool operator()(const Lookup& a, const Entry& b) const {
            return same(a.hash, a.addresses, b);
        }
        bool operator()(const Entry& a, const Lookup& b) const {
            return same(b.hash, b.addresses, a);
        }
        bool operator()(const Entry& a, const Entry& b) const {
            return same(a.hash, a.addresses, b);
        }
        static bool same(size_t hash, std::span<const uint64_t> addresses, const Entry& entry) {
            return hash == entry.hash && std::ranges::equal(addresses, entry.addresses);
        }
    };

    std::unordered_set<Entry, Hash, Equal> entries_;
};

} // namespace hprof
