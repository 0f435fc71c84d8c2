// fd_limit_thread: uses up every descriptor its limit allows (opening /dev/null until EMFILE),
// then starts a thread that burns 0.3 s of CPU in `burn_without_descriptors`. A profiler that
// needs a descriptor per thread cannot sample that thread, and must say so. Prints
// "opened=N started=1"; exits 0 (1 if the thread could not be started).
#include "burn.h"

#include <cstdio>
#include <fcntl.h>
#include <pthread.h>

[[gnu::noinline]] void burn_without_descriptors() {
    samples::burn_cpu(0.3);
}

namespace {

void* worker(void*) {
    burn_without_descriptors();
    return nullptr;
}

} // namespace

int main() {
    int opened = 0;
    while (open("/dev/null", O_RDONLY) >= 0)
        ++opened;
    pthread_t thread;
    if (pthread_create(&thread, nullptr, worker, nullptr) != 0)
        return 1;
    pthread_join(thread, nullptr);
    std::printf("opened=%d started=1\n", opened);
    return 0;
}
