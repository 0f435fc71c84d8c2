#include "merge_command.h"

#include "cli_error.h"
#include "output_file.h"

#include "hprof/import.h"
#include "hprof/merge_job.h"

#include <filesystem>
#include <set>

namespace hprof::cli {
namespace {

// "4 processes, ranks 0-3" style summary of what OUT holds.
std::string contents(const Profile& job) {
    std::set<int32_t> ranks;
    for (const Process& process : job.processes)
        if (process.rank >= 0)
            ranks.insert(process.rank);
    std::string text = std::to_string(job.processes.size()) + " processes";
    if (!ranks.empty())
        text += ", " + std::to_string(ranks.size()) + " ranks (" + std::to_string(*ranks.begin()) +
                "-" + std::to_string(*ranks.rbegin()) + ")";
    return text;
}

// The samples of all files, guessed from the first one's samples per byte, on the high side (1.5x):
// reserved room that is never used costs address space only (JobMerger::reserveSamples). A file
// whose size cannot be read counts nothing here: reading it fails with its own message.
size_t estimatedSamples(const std::vector<std::string>& files, size_t first_samples) {
    auto bytes = [](const std::string& file) {
        std::error_code error;
        const uintmax_t size = std::filesystem::file_size(file, error);
        return error ? 0.0 : double(size);
    };
    const double first_bytes = bytes(files.front());
    if (first_bytes == 0)
        return first_samples;
    double all_bytes = 0;
    for (const std::string& file : files)
        all_bytes += bytes(file);
    return size_t(1.5 * double(first_samples) * all_bytes / first_bytes);
}

} // namespace

int runMerge(const MergeCommandOptions& options) {
    checkOutputWritable(options.output);
    JobMerger merger;
    for (const std::string& file : options.files) {
        Profile input = readAnyProfile(file);
        if (file == options.files.front())
            merger.reserveSamples(estimatedSamples(options.files, input.samples.size()));
        merger.add(std::move(input), file);
    }
    const JobSummary summary = merger.summary();
    const Profile job = merger.finish();
    if (auto backup = saveProfile(job, options.output))
        printError("renamed the existing " + options.output + " to " + *backup);
    printError(describeAlignment(summary));
    if (summary.programs.size() > 1)
        printError("the inputs ran " + std::to_string(summary.programs.size()) +
                   " different programs (a task farm): merged side by side all the same");
    for (const std::string& warning : job.run.warnings)
        printError("warning: " + warning);
    printError("profile written to " + options.output + " (" + contents(job) + ")");
    return 0;
}

} // namespace hprof::cli
