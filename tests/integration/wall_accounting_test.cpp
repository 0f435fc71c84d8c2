// --clock=wall accounts for a thread's whole life: on-CPU + off-CPU (blocked) + waiting for a
// CPU (run queue) add up to its lifetime, even for a program whose waits are shorter than the
// wall sampler's period (fsync-heavy sqlite3, where 48-56% was accounted before).
#include "hprof_runs.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace hprof::test;

namespace {

// Each INSERT is its own transaction: one fsync (or more) per statement.
void writeInsertScript(const std::string& path, int statements) {
    std::ofstream script(path);
    script << "CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT);\n";
    for (int i = 0; i < statements; ++i)
        script << "INSERT INTO t(payload) VALUES ('row " << i << "');\n";
}

} // namespace

TEST(WallAccounting, FsyncHeavySqliteThreadTimesAddUpToItsLifetime) {
    // TempDir honours TMPDIR; the default /tmp is on the real disk here (not tmpfs), so each
    // commit waits for the disk.
    const TempDir dir;
    writeInsertScript(dir.file("inserts.sql"), 300);
    const CommandResult run =
        runHprof({"--clock=wall", "-q", "-o", "profile.hprof", "/usr/bin/sqlite3",
                  dir.file("test.db"), ".read " + dir.file("inserts.sql")},
                 dir);
    ASSERT_EQ(run.status, 0) << run.err;
    const hprof::Profile profile = recordedProfile(dir);
    const std::vector<hprof::ThreadStats> threads = hprof::computeThreadStats(profile);
    ASSERT_FALSE(threads.empty());
    const hprof::ThreadStats* main_thread = nullptr;
    for (const hprof::ThreadStats& stats : threads) {
        const hprof::Thread& thread = profile.thread(stats.thread);
        if (thread.tid == profile.process(thread.process).pid)
            main_thread = &stats;
    }
    ASSERT_NE(main_thread, nullptr);
    const hprof::Thread& thread = profile.thread(main_thread->thread);
    const int64_t lifetime = thread.end_ns - thread.start_ns;
    const int64_t accounted =
        main_thread->cpu_ns + main_thread->off_cpu_ns + main_thread->run_queue_ns;
    ASSERT_GT(lifetime, 0);
    EXPECT_GE(double(accounted), 0.9 * double(lifetime))
        << "cpu " << main_thread->cpu_ns << " off-cpu " << main_thread->off_cpu_ns << " run queue "
        << main_thread->run_queue_ns << " lifetime " << lifetime;
    // Nothing is counted twice either (the start cost lies before the thread's start).
    EXPECT_LE(double(accounted), 1.05 * double(lifetime) + 50e6);
}
