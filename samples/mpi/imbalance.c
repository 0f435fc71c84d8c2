// An MPI job with a deliberate load imbalance (issue 14, docs/samples.md): every rank computes
// its share in compute_share(), rank 2 three times as much as the others, then all meet in
// MPI_Allreduce, where the others busy-wait inside the MPI library for rank 2.
//
//   imbalance [UNITS [crash]]
// UNITS: work of one share in millions of loop steps (default 20, about 20 ms). With "crash",
// rank 1 dies by SIGSEGV after its work, before the reduction (the others are then killed by
// mpirun). Prints one line per rank: "rank R of N: sum S".
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kSlowRank = 2, kSlowFactor = 3, kCrashingRank = 1 };

// noinline: the profile must show it by name, and its cost is what the imbalance is made of.
__attribute__((noinline)) double compute_share(long steps) {
    double sum = 0;
    for (long i = 1; i <= steps; ++i)
        sum += 1.0 / (double)i;
    return sum;
}

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const long units = argc > 1 ? atol(argv[1]) : 20;
    const int crash = argc > 2 && strcmp(argv[2], "crash") == 0;
    const long steps = units * 1000000L * (rank == kSlowRank ? kSlowFactor : 1);
    const double share = compute_share(steps);
    if (crash && rank == kCrashingRank)
        raise(SIGSEGV);
    double total = 0;
    MPI_Allreduce(&share, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    printf("rank %d of %d: sum %.3f\n", rank, size, total);
    MPI_Finalize();
    return 0;
}
