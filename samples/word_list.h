// The input shared by `quadratic` and `quadratic_fixed`: a deterministic list of words with
// many repeats, so that deduplicating it is real work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace samples {

// `count` words drawn from `distinct` possible ones by a fixed-seed linear congruential
// generator: the same list on every run and every machine.
inline std::vector<std::string> make_word_list(std::size_t count, std::size_t distinct) {
    std::vector<std::string> words;
    words.reserve(count);
    std::uint64_t state = 12345;
    for (std::size_t i = 0; i < count; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        words.push_back("word-" + std::to_string((state >> 33) % distinct));
    }
    return words;
}

// Order-sensitive FNV-1a hash of the words, printed so that both programs can be shown to
// produce exactly the same result.
inline std::uint64_t checksum(const std::vector<std::string>& words) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const std::string& word : words) {
        for (const char c : word)
            hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        hash = (hash ^ 0xff) * 1099511628211ULL;
    }
    return hash;
}

} // namespace samples
