// The input and the main program shared by `quadratic` and `quadratic_fixed`: a deterministic
// list of words with many repeats, so that deduplicating it is real work.
#pragma once

#include "sample_args.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace samples {

// `count` words drawn from `distinct` possible ones by a fixed-seed linear congruential
// generator: the same list on every run and every machine. The numbers are zero-padded to one
// width, so every comparison of two words costs the same at any count: with unpadded numbers
// the share of equal-length words (the only ones std::string's == compares byte by byte) rose
// and fell with the count, and the cost of the dedupe went up by 1.5x to 5x per doubling
// (hprof scaling, docs/scaling.md "Inputs whose shape changes with size").
inline std::vector<std::string> make_word_list(std::size_t count, std::size_t distinct) {
    std::vector<std::string> words;
    words.reserve(count);
    std::uint64_t state = 12345;
    char word[32];
    for (std::size_t i = 0; i < count; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        std::snprintf(word, sizeof word, "word-%08llu",
                      static_cast<unsigned long long>((state >> 33) % distinct));
        words.push_back(word);
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

using Dedupe = std::vector<std::string> (*)(const std::vector<std::string>& words);

// The whole program of both: dedupes [number-of-words] (default 60000) words with `dedupe` and
// prints the count and checksum of the result, the same line whichever `dedupe` it was.
inline int dedupe_word_list_main(int argc, char** argv, Dedupe dedupe) {
    const long count = integer_argument(argc, argv, 1, 60000, 1, 10000000);
    const auto words = make_word_list(count, count / 2 + 1);
    const auto unique = dedupe(words);
    std::printf("words=%ld unique=%zu checksum=%016llx\n", count, unique.size(),
                static_cast<unsigned long long>(checksum(unique)));
    return 0;
}

} // namespace samples
