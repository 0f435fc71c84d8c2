#include "stack_bounds.h"

#include "signal_safe.h"

#include <fcntl.h>
#include <sys/resource.h>

namespace hprof::probe {
namespace {

struct Mapping {
    uint64_t start = 0;
    uint64_t end = 0;
};

// Reads "start-end ..." lines one character at a time across read(2) chunks.
class MapsParser {
  public:
    explicit MapsParser(uint64_t address) : address_(address) {}

    void feed(char c) {
        if (c == '\n') {
            finishLine();
            return;
        }
        if (field_ > 1)
            return; // the rest of the line: permissions, offset, path
        int digit = hexDigit(c);
        if (digit < 0) {
            ++field_; // '-' after the start, ' ' after the end
            return;
        }
        uint64_t& value = field_ == 0 ? line_.start : line_.end;
        value = value * 16 + uint64_t(digit);
    }

    bool found() const { return found_; }
    Mapping holding() const { return holding_; }
    uint64_t previousEnd() const { return previous_end_; } // of the mapping below it

  private:
    static int hexDigit(char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    }

    void finishLine() {
        if (!found_ && line_.start <= address_ && address_ < line_.end) {
            found_ = true;
            holding_ = line_;
        } else if (!found_) {
            previous_end_ = line_.end;
        }
        line_ = {};
        field_ = 0;
    }

    uint64_t address_;
    Mapping line_;
    int field_ = 0;
    bool found_ = false;
    Mapping holding_;
    uint64_t previous_end_ = 0;
};

bool isMainThread() {
    return currentTid() == getpid();
}

} // namespace

StackBounds currentStackBoundsWithoutMalloc() {
    const uint64_t stack_pointer = uint64_t(__builtin_frame_address(0));
    int fd = int(syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return {};
    MapsParser parser(stack_pointer);
    char buffer[4096];
    ssize_t length = 0;
    while (!parser.found() && (length = read(fd, buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < length; ++i)
            parser.feed(buffer[i]);
    }
    close(fd);
    if (!parser.found())
        return {};
    const Mapping stack = parser.holding();
    if (!isMainThread())
        return {stack.start, stack.end};
    rlimit limit{};
    uint64_t low = parser.previousEnd();
    if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
        limit.rlim_cur < stack.end && stack.end - limit.rlim_cur > low)
        low = stack.end - limit.rlim_cur;
    return {low < stack.start ? low : stack.start, stack.end};
}

} // namespace hprof::probe
