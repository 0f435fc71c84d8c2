// The libc functions that interpose.cpp wraps, resolved with dlsym(RTLD_NEXT) on first use.
// Probe code calls these, never the wrapped names, to avoid recursing into its own wrappers.
#pragma once

#include <csignal>
#include <pthread.h>
#include <sys/time.h>
#include <time.h>

namespace hprof::probe::real {

int sigaction(int signal, const struct sigaction* action, struct sigaction* old);
int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*), void* arg);
int timer_create(clockid_t clock, struct sigevent* event, timer_t* timer);

} // namespace hprof::probe::real
