// A library that calls dlopen from its constructor, as hwloc and UCX do under MPICH: linked
// into a program, it runs before an LD_PRELOAD library's constructor (early_dlopen.cpp).
#include <dlfcn.h>

__attribute__((constructor)) static void loadAPluginEarly() {
    dlopen("libm.so.6", RTLD_NOW);
}

extern "C" int earlyDlopenLinked() {
    return 1;
}
