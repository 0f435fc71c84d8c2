// process_pool: a pool of worker processes in the style of Python's multiprocessing.Pool,
// used for two map phases with a serial phase between them.
//
//   process_pool [workers]     (1..64, default 4)
//
// ProcessPool forks its workers when it is made and joins them when it is destroyed. map(f,
// items) cuts the items into chunks of kChunkItems, puts the chunks on one task pipe that all
// workers read (pool_worker_loop), and puts each chunk's results, which arrive in any order
// through one result pipe, back in item order. Since fork copies the program, a worker can call
// the function through the pointer the driver sends. At most kChunksInFlight chunks are
// outstanding, so neither pipe ever fills and blocks a writer.
//
// The work is about Collatz chains over the blocks [b * kBlockSize, (b + 1) * kBlockSize):
//   1. map(collatz_steps_in_block, every block): the total chain length of each block;
//   2. serial: rank_blocks sorts the blocks by that total and keeps the top half;
//   3. map(longest_chain_in_block, those blocks): the longest chain of each;
//   4. the driver picks the longest of all and prints (always the same output):
//        process_pool: workers=4 blocks=3000 total_steps=N
//        process_pool: longest chain in the top 1500 blocks starts at S (L steps)
#include "pipe_records.h"
#include "sample_args.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

namespace {

constexpr int64_t kBlockSize = 1000;
constexpr int64_t kBlocks = 3000;
constexpr int kChunkItems = 16;

using PoolFunction = int64_t (*)(int64_t);

// One chunk of a map: `count` items for `function`. A null function tells a worker to leave.
struct Chunk {
    PoolFunction function = nullptr;
    int32_t index = 0;
    int32_t count = 0;
    int64_t items[kChunkItems] = {};
};

struct ChunkResult {
    int32_t index = 0;
    int32_t count = 0;
    int64_t values[kChunkItems] = {};
};

} // namespace

[[gnu::noinline]] void pool_worker_loop(int task_fd, int result_fd) {
    Chunk chunk;
    while (samples::read_record(task_fd, chunk) && chunk.function) {
        ChunkResult result{chunk.index, chunk.count, {}};
        for (int32_t i = 0; i < chunk.count; ++i)
            result.values[i] = chunk.function(chunk.items[i]);
        samples::write_record(result_fd, result);
    }
}

class ProcessPool {
  public:
    explicit ProcessPool(int workers)
        : tasks_(samples::make_pipe()), results_(samples::make_pipe()) {
        for (int worker = 0; worker < workers; ++worker) {
            pids_.push_back(samples::fork_worker([this] {
                samples::close_fd(tasks_.write_end);
                samples::close_fd(results_.read_end);
                pool_worker_loop(tasks_.read_end, results_.write_end);
            }));
        }
        samples::close_fd(tasks_.read_end);
        samples::close_fd(results_.write_end);
    }

    // Tells every worker to leave and waits for them all.
    ~ProcessPool() {
        for (size_t i = 0; i < pids_.size(); ++i)
            samples::write_record(tasks_.write_end, Chunk{});
        samples::close_fd(tasks_.write_end);
        for (const pid_t pid : pids_)
            samples::wait_for(pid);
        samples::close_fd(results_.read_end);
    }

    ProcessPool(const ProcessPool&) = delete;
    ProcessPool& operator=(const ProcessPool&) = delete;

    std::vector<int64_t> map(PoolFunction function, const std::vector<int64_t>& items) {
        const int32_t chunks = static_cast<int32_t>((items.size() + kChunkItems - 1) / kChunkItems);
        std::vector<int64_t> values(items.size());
        int32_t sent = 0;
        for (; sent < chunks && sent < kChunksInFlight; ++sent)
            sendChunk(function, items, sent);
        for (int32_t received = 0; received < chunks; ++received) {
            ChunkResult result;
            if (!samples::read_record(results_.read_end, result)) {
                std::fprintf(stderr, "process_pool: every worker is gone\n");
                std::exit(1);
            }
            std::copy_n(result.values, result.count,
                        values.begin() + static_cast<std::ptrdiff_t>(result.index) * kChunkItems);
            if (sent < chunks)
                sendChunk(function, items, sent++);
        }
        return values;
    }

  private:
    // Small enough that the chunks and results in flight fit in any pipe (at least one page).
    static constexpr int32_t kChunksInFlight = 8;
    static_assert(kChunksInFlight * sizeof(Chunk) <= PIPE_BUF &&
                  kChunksInFlight * sizeof(ChunkResult) <= PIPE_BUF);

    void sendChunk(PoolFunction function, const std::vector<int64_t>& items, int32_t index) {
        Chunk chunk{function, index, 0, {}};
        const size_t first = static_cast<size_t>(index) * kChunkItems;
        chunk.count = static_cast<int32_t>(std::min<size_t>(kChunkItems, items.size() - first));
        std::copy_n(items.begin() + static_cast<std::ptrdiff_t>(first), chunk.count, chunk.items);
        samples::write_record(tasks_.write_end, chunk);
    }

    samples::Pipe tasks_;
    samples::Pipe results_;
    std::vector<pid_t> pids_;
};

[[gnu::noinline]] int64_t collatz_steps(int64_t n) {
    int64_t steps = 0;
    for (; n != 1; ++steps)
        n = n % 2 == 0 ? n / 2 : 3 * n + 1;
    return steps;
}

// Sum of the chain lengths of the numbers in block `block` (0 counts as 1).
[[gnu::noinline]] int64_t collatz_steps_in_block(int64_t block) {
    int64_t total = 0;
    for (int64_t n = block * kBlockSize; n < (block + 1) * kBlockSize; ++n)
        total += collatz_steps(std::max<int64_t>(n, 1));
    return total;
}

// The block's longest chain as steps * 2^32 + start, so that the larger value is the longer
// chain and, of equal ones, the later start.
[[gnu::noinline]] int64_t longest_chain_in_block(int64_t block) {
    int64_t best = 0;
    for (int64_t n = std::max<int64_t>(block * kBlockSize, 1); n < (block + 1) * kBlockSize; ++n)
        best = std::max(best, (collatz_steps(n) << 32) | n);
    return best;
}

// The blocks whose chains are longest in total, the top half of them.
[[gnu::noinline]] std::vector<int64_t> rank_blocks(const std::vector<int64_t>& steps_of_block) {
    std::vector<int64_t> blocks(steps_of_block.size());
    std::iota(blocks.begin(), blocks.end(), 0);
    std::stable_sort(blocks.begin(), blocks.end(), [&](int64_t a, int64_t b) {
        return steps_of_block[size_t(a)] > steps_of_block[size_t(b)];
    });
    blocks.resize(blocks.size() / 2);
    return blocks;
}

int main(int argc, char** argv) {
    const int workers = static_cast<int>(samples::integer_argument(argc, argv, 1, 4, 1, 64));
    std::vector<int64_t> all_blocks(kBlocks);
    std::iota(all_blocks.begin(), all_blocks.end(), 0);

    int64_t total_steps = 0;
    int64_t longest = 0;
    {
        ProcessPool pool(workers);
        const std::vector<int64_t> steps_of_block = pool.map(collatz_steps_in_block, all_blocks);
        total_steps = std::accumulate(steps_of_block.begin(), steps_of_block.end(), int64_t{0});
        const std::vector<int64_t> top_blocks = rank_blocks(steps_of_block);
        const std::vector<int64_t> longest_of_block = pool.map(longest_chain_in_block, top_blocks);
        longest = *std::max_element(longest_of_block.begin(), longest_of_block.end());
    }
    std::printf("process_pool: workers=%d blocks=%lld total_steps=%lld\n", workers,
                static_cast<long long>(kBlocks), static_cast<long long>(total_steps));
    std::printf("process_pool: longest chain in the top %lld blocks starts at %lld (%lld steps)\n",
                static_cast<long long>(kBlocks / 2), static_cast<long long>(longest & 0xffffffff),
                static_cast<long long>(longest >> 32));
    return 0;
}
