/* own_malloc: a C program that defines its own malloc and free, as custom allocators do, and
 * spends its time in them. GCC's DWARF gives the definition the place of the first declaration,
 * <stdlib.h>; hprof must show where the program defines it. Prints the sum it computed. */
#include <stdio.h>
#include <stdlib.h>

static char pool[1 << 20];
static size_t used;

void* malloc(size_t bytes) {
    volatile double spin = 0; /* the cost of a slow allocator */
    for (int i = 0; i < 20000; ++i)
        spin += i;
    if (used + bytes > sizeof pool)
        used = 0;
    void* block = pool + used;
    used += (bytes + 15) & ~(size_t)15;
    return block;
}

void free(void* block) {
    (void)block;
}

int main(void) {
    long sum = 0;
    for (int i = 0; i < 20000; ++i) {
        char* block = malloc(32);
        block[0] = (char)i;
        sum += block[0];
        free(block);
    }
    printf("own_malloc: sum=%ld\n", sum);
    return 0;
}
