// `hprof record -o` names for MPI jobs and task farms (issue 14, docs/cli.md): templates with
// %r (rank), %h (host), %p (the profiled program's pid), %j (job id) and %%, and a directory
// target (`-o dir/`, or an existing directory) in which hprof names the file itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hprof::cli {

// What a name may be made of; rank -1 and job_id "" outside a job.
struct OutputNameFields {
    std::string program; // the program's file name, for directory targets
    std::string host;
    int32_t rank = -1;
    std::string job_id;
    int32_t pid = 0;
};

// Why `output` is not a valid -o template ("unknown '%x' in output name ..."), or nullopt.
std::optional<std::string> outputTemplateProblem(const std::string& output);

// A trailing '/' or an existing directory (symbolic links followed).
bool isDirectoryTarget(const std::string& output);

// Makes the directory of a directory target that ends with '/' (`-o profiles/`) unless it exists:
// every rank of a job may try at once. Throws hprof::Error when it cannot.
void makeDirectoryTarget(const std::string& output, const OutputNameFields& fields);

// The file `output` names for `fields`: the template expanded, or for a directory target
// DIR/<program>-<host>-r<rank>-<pid>.hprof ("-r<rank>" left out outside a job). A rank-less
// run expands %r to 0, the rank an MPI program started without a launcher has (a singleton).
// `output` must have passed outputTemplateProblem.
std::string outputName(const std::string& output, const OutputNameFields& fields);

} // namespace hprof::cli
