// libstressplugin.so: the small library that the `stress` sample loads and unloads with
// dlopen/dlclose over and over. Found by stress next to itself (../lib/) or given by path.

#include <cstdint>

// A little work, so that samples can land inside the library while it is loaded.
extern "C" std::uint64_t stress_plugin_work(std::uint64_t seed) {
    std::uint64_t state = seed | 1;
    for (int i = 0; i < 1000; ++i)
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
}
