// Where a process stands in an MPI job or a task farm, as its launcher's environment says
// (docs/cluster.md): its rank, the job's number of ranks and the job's id. Read by the probe at
// start (into a fixed buffer: no allocation, no locks) and by `hprof record` for its own run.
//
// Header-only and C-like, as the probe (no exceptions, no libstdc++ allocation) includes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace hprof {

// The variables tried, first set first: Open MPI, MPICH's Hydra (and other PMI-1/2 launchers),
// PMIx launchers (Open MPI 5, srun --mpi=pmix), Slurm's srun.
inline constexpr const char* kRankVariables[] = {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
                                                 "SLURM_PROCID"};
// PMIx puts no size in the environment; srun sets SLURM_NTASKS (SLURM_NPROCS in old versions).
inline constexpr const char* kWorldSizeVariables[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                                      "SLURM_NTASKS", "SLURM_NPROCS"};
// A job array's task is "<array job>_<task>" (Slurm's own notation), checked before these.
inline constexpr const char* kJobIdVariables[] = {"SLURM_JOB_ID", "OMPI_MCA_ess_base_jobid",
                                                  "PMIX_NAMESPACE"};

struct JobPlace {
    int32_t rank = -1;      // -1: not a rank of a job
    int32_t world_size = 0; // 0: unknown
    char job_id[128] = {};  // "" outside a job; longer ids are cut
};

// A decimal number from 0 to INT32_MAX, or -1 for anything else (empty, sign, junk, overflow).
inline int32_t parseJobNumber(const char* text) {
    if (!text || !*text)
        return -1;
    int64_t value = 0;
    for (const char* c = text; *c; ++c) {
        if (*c < '0' || *c > '9')
            return -1;
        value = value * 10 + (*c - '0');
        if (value > INT32_MAX)
            return -1;
    }
    return int32_t(value);
}

// The first of `names` that `lookup` (getenv or alike) finds set and non-empty, else nullptr.
template <class Lookup, size_t N>
const char* firstSet(Lookup lookup, const char* const (&names)[N]) {
    for (const char* name : names) {
        const char* value = lookup(name);
        if (value && *value)
            return value;
    }
    return nullptr;
}

template <class Lookup> void readJobId(Lookup lookup, char (&out)[sizeof JobPlace::job_id]) {
    const char* array_job = lookup("SLURM_ARRAY_JOB_ID");
    const char* array_task = lookup("SLURM_ARRAY_TASK_ID");
    const char* job = firstSet(lookup, kJobIdVariables);
    size_t length = 0;
    auto append = [&](const char* text) {
        for (; *text && length + 1 < sizeof out; ++text)
            out[length++] = *text;
    };
    if (array_job && *array_job && array_task && *array_task) {
        append(array_job);
        append("_");
        append(array_task);
    } else if (job) {
        append(job);
    }
    out[length] = '\0';
}

template <class Lookup> JobPlace readJobPlace(Lookup lookup) {
    JobPlace place;
    place.rank = parseJobNumber(firstSet(lookup, kRankVariables));
    place.world_size = parseJobNumber(firstSet(lookup, kWorldSizeVariables));
    if (place.world_size < 0)
        place.world_size = 0;
    readJobId(lookup, place.job_id);
    return place;
}

} // namespace hprof
