#include "leftover_runs.h"

#include "cli_error.h"
#include "run_description.h"
#include "run_directory.h"

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace hprof::cli {
namespace {

bool ownedRunDirectory(const std::filesystem::directory_entry& entry) {
    struct stat status {};
    return entry.path().filename().string().starts_with(kRunDirectoryPrefix) &&
           lstat(entry.path().c_str(), &status) == 0 && S_ISDIR(status.st_mode) &&
           status.st_uid == getuid();
}

// The command on one line: control characters (a script's newlines) become spaces.
std::string oneLine(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& word : words)
        text += (text.empty() ? "" : " ") + word;
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    }
    return text;
}

} // namespace

std::vector<LeftoverRun> findLeftoverRuns() {
    std::vector<LeftoverRun> leftovers;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(runDirectoryRoot(), error)) {
        if (!ownedRunDirectory(entry))
            continue;
        try {
            const auto description = readRunDescription(entry.path());
            if (description && !writerIsAlive(*description))
                leftovers.push_back({entry.path(), oneLine(description->run.command)});
        } catch (const Error&) {
            // Not ours to judge: a directory we cannot read is not named.
        }
    }
    return leftovers;
}

void mentionLeftoverRuns() {
    for (const LeftoverRun& leftover : findLeftoverRuns())
        printError("an earlier hprof was killed before it made the profile of '" +
                   leftover.command + "': hprof collect " + leftover.path + " -o FILE");
}

} // namespace hprof::cli
