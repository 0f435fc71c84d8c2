// A mutex the probe can hold across fork() and still use in the child.
//
// glibc's pthread_atfork protocol (lock before fork, unlock in parent and child) does not work
// for a mutex held in the child: the child's only thread has a new thread id, so unlocking a
// recursive or error-checking mutex that the parent's thread owned fails with EPERM and the
// mutex stays locked forever (the next dlopen or fork in the child hung). The child therefore
// re-initialises the mutex instead of unlocking it: at that point no other thread exists that
// could hold it.
#pragma once

#include <pthread.h>

namespace hprof::probe {

class ForkSafeMutex {
  public:
    constexpr explicit ForkSafeMutex(bool recursive)
        : recursive_(recursive), mutex_(initializer(recursive)) {}
    ForkSafeMutex(const ForkSafeMutex&) = delete;
    ForkSafeMutex& operator=(const ForkSafeMutex&) = delete;

    void lock() { pthread_mutex_lock(&mutex_); }
    void unlock() { pthread_mutex_unlock(&mutex_); }
    // Only in a fork child, before anything else uses the mutex.
    void reinitializeInChild() { mutex_ = initializer(recursive_); }

  private:
    static constexpr pthread_mutex_t initializer(bool recursive) {
        return recursive ? pthread_mutex_t(PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP)
                         : pthread_mutex_t(PTHREAD_MUTEX_INITIALIZER);
    }
    bool recursive_;
    pthread_mutex_t mutex_;
};

} // namespace hprof::probe
