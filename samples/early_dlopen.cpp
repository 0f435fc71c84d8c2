// A program linked with a library that dlopens from its constructor (early_dlopen_lib.cpp):
// the dlopen comes before a preloaded profiler's constructor. Burns about 0.2 s of CPU in
// burn_in_the_program, which a profile must name.
//   early_dlopen
#include <cstdio>
#include <ctime>

extern "C" int earlyDlopenLinked();

__attribute__((noinline)) double burn_in_the_program() {
    double sum = 0;
    const std::clock_t end = std::clock() + CLOCKS_PER_SEC / 5;
    while (std::clock() < end)
        for (int i = 1; i < 100000; ++i)
            sum += 1.0 / i;
    return sum;
}

int main() {
    std::printf("%d %.1f\n", earlyDlopenLinked(), burn_in_the_program() > 0 ? 1.0 : 0.0);
    return 0;
}
