// quadratic_fixed: the linear fix of quadratic.cpp. The same deduplication, keeping the
// first occurrence of each word, but remembering the words seen so far in a hash set:
// O(n) expected time. Prints exactly what quadratic prints.
//
// A profile of it is short and spread over make_word_list and the hash set.
//
// Usage: quadratic_fixed [number-of-words]   (default 60000)
#include "word_list.h"

#include <unordered_set>

[[gnu::noinline]] std::vector<std::string>
dedupe_with_hash_set(const std::vector<std::string>& words) {
    std::vector<std::string> unique;
    std::unordered_set<std::string> seen;
    for (const std::string& word : words) {
        if (seen.insert(word).second)
            unique.push_back(word);
    }
    return unique;
}

int main(int argc, char** argv) {
    return samples::dedupe_word_list_main(argc, argv, dedupe_with_hash_set);
}
