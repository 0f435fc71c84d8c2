#include "sample_runs.h"

#include <algorithm>
#include <cstdint>
#include <sys/mman.h>

namespace hprof {
namespace {

// A transparent huge page: the unit of both the huge-page advice and the pages given back.
constexpr uintptr_t kHugePage = 2 << 20;

bool earlier(const Sample& a, const Sample& b) {
    return a.time_ns < b.time_ns;
}

// One run's next sample in the merge's heap: ordered by time, then by input.
struct RunHead {
    int64_t time_ns;
    uint32_t run;
    bool operator<(const RunHead& other) const {
        return time_ns != other.time_ns ? time_ns < other.time_ns : run < other.run;
    }
};

// Restores the min-heap below `heap[at]` after its key grew.
void siftDown(std::vector<RunHead>& heap, size_t at) {
    const RunHead moving = heap[at];
    for (size_t child = 2 * at + 1; child < heap.size(); child = 2 * at + 1) {
        if (child + 1 < heap.size() && heap[child + 1] < heap[child])
            ++child;
        if (!(heap[child] < moving))
            break;
        heap[at] = heap[child];
        at = child;
    }
    heap[at] = moving;
}

// Gives the pages of a sample table back to the system as soon as the merge has taken every
// sample on them, so that the table and the merged copy together stay near the size of one
// (MADV_DONTNEED: the table is freed by its owner afterwards and never read again; its pages
// would read as zeros). Whole 2 MB blocks, counted by the samples that touch them: a block
// backed by one transparent huge page is freed without being split, which costs more than
// the faults it saves.
class ConsumedPages {
  public:
    explicit ConsumedPages(const std::vector<Sample>& table)
        : begin_(reinterpret_cast<uintptr_t>(table.data())),
          end_(begin_ + table.size() * sizeof(Sample)), base_(begin_ & ~(kBlock - 1)),
          remaining_((end_ - base_) / kBlock + 1) {
        for (const Sample& sample : table)
            forBlocksOf(sample, [this](size_t block) { ++remaining_[block]; });
    }

    void taken(const Sample& sample) {
        forBlocksOf(sample, [this](size_t block) {
            if (--remaining_[block] == 0)
                release(block);
        });
    }

  private:
    static constexpr uintptr_t kBlock = kHugePage;

    // A sample may straddle two blocks: it counts in both.
    void forBlocksOf(const Sample& sample, auto action) const {
        const uintptr_t first = reinterpret_cast<uintptr_t>(&sample);
        const size_t block = (first - base_) / kBlock;
        action(block);
        if ((first + sizeof(Sample) - 1 - base_) / kBlock != block)
            action(block + 1);
    }

    // Only blocks wholly inside the samples: the others share memory with the allocator.
    void release(size_t block) const {
        const uintptr_t from = base_ + block * kBlock;
        if (from >= begin_ && from + kBlock <= end_)
            madvise(reinterpret_cast<void*>(from), kBlock, MADV_DONTNEED);
    }

    uintptr_t begin_;
    uintptr_t end_;
    uintptr_t base_;
    std::vector<uint32_t> remaining_;
};

} // namespace

void adviseHugePages(std::vector<Sample>& table) {
    const auto begin = reinterpret_cast<uintptr_t>(table.data());
    const uintptr_t end = begin + table.capacity() * sizeof(Sample);
    const uintptr_t aligned = (begin + kHugePage - 1) & ~(kHugePage - 1);
    if (end > aligned + kHugePage)
        madvise(reinterpret_cast<void*>(aligned), (end - aligned) & ~(kHugePage - 1),
                MADV_HUGEPAGE);
}

bool mergeSortedRuns(std::vector<Sample>& samples, const std::vector<size_t>& run_begins) {
    struct Cursor {
        const Sample* next;
        const Sample* end;
    };
    std::vector<Cursor> cursors;
    std::vector<RunHead> heap;
    for (size_t run = 0; run < run_begins.size(); ++run) {
        const Sample* first = samples.data() + run_begins[run];
        const Sample* end = run + 1 < run_begins.size() ? samples.data() + run_begins[run + 1]
                                                        : samples.data() + samples.size();
        if (!std::is_sorted(first, end, earlier))
            return false;
        if (first == end)
            continue;
        heap.push_back({first->time_ns, uint32_t(cursors.size())});
        cursors.push_back({first, end});
    }
    ConsumedPages consumed(samples);
    for (size_t at = heap.size() / 2; at-- > 0;)
        siftDown(heap, at);
    std::vector<Sample> merged;
    merged.reserve(samples.size());
    adviseHugePages(merged);
    while (!heap.empty()) {
        RunHead& top = heap.front();
        Cursor& cursor = cursors[top.run];
        merged.push_back(*cursor.next);
        consumed.taken(*cursor.next);
        if (++cursor.next == cursor.end) {
            top = heap.back();
            heap.pop_back();
        } else {
            top.time_ns = cursor.next->time_ns;
        }
        if (!heap.empty())
            siftDown(heap, 0);
    }
    samples = std::move(merged);
    return true;
}

} // namespace hprof
