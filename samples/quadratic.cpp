// quadratic: an "accidentally quadratic" program. It removes duplicate words from a list,
// keeping the first occurrence of each, by searching the result so far with std::find for
// every word: O(n * unique) string comparisons.
//
// A profile of it is dominated by dedupe_with_linear_search, almost all of it inside
// std::find and std::string comparison. Its fix is quadratic_fixed.cpp, which prints the
// same output.
//
// Usage: quadratic [number-of-words]   (default 60000)
#include "word_list.h"

#include <algorithm>

[[gnu::noinline]] std::vector<std::string>
dedupe_with_linear_search(const std::vector<std::string>& words) {
    std::vector<std::string> unique;
    for (const std::string& word : words) {
        if (std::find(unique.begin(), unique.end(), word) == unique.end())
            unique.push_back(word);
    }
    return unique;
}

int main(int argc, char** argv) {
    return samples::dedupe_word_list_main(argc, argv, dedupe_with_linear_search);
}
