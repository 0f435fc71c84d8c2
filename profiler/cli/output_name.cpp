#include "output_name.h"

#include "hprof/error.h"

#include <filesystem>
#include <sys/stat.h>

namespace hprof::cli {
namespace {

constexpr std::string_view kTemplateLetters = "rhpj%";

std::string expandTemplate(const std::string& output, const OutputNameFields& fields) {
    std::string name;
    for (size_t i = 0; i < output.size(); ++i) {
        if (output[i] != '%') {
            name += output[i];
            continue;
        }
        switch (output[++i]) {
        case 'r':
            name += std::to_string(fields.rank < 0 ? 0 : fields.rank);
            break;
        case 'h':
            name += fields.host;
            break;
        case 'p':
            name += std::to_string(fields.pid);
            break;
        case 'j':
            name += fields.job_id;
            break;
        default: // '%'
            name += '%';
        }
    }
    return name;
}

// A file name part: a '/' in a host or job id would name another directory.
std::string fileNamePart(std::string text) {
    for (char& c : text)
        if (c == '/')
            c = '_';
    return text;
}

std::string directoryEntryName(const OutputNameFields& fields) {
    std::string name = fileNamePart(fields.program) + "-" + fileNamePart(fields.host);
    if (fields.rank >= 0)
        name += "-r" + std::to_string(fields.rank);
    return name + "-" + std::to_string(fields.pid) + ".hprof";
}

} // namespace

std::optional<std::string> outputTemplateProblem(const std::string& output) {
    for (size_t i = 0; i < output.size(); ++i) {
        if (output[i] != '%')
            continue;
        if (i + 1 == output.size())
            return "output name '" + output + "' ends with a lone '%' (write %% for a '%')";
        if (kTemplateLetters.find(output[i + 1]) == std::string_view::npos)
            return "unknown '%" + std::string(1, output[i + 1]) + "' in output name '" + output +
                   "' (expected %r, %h, %p, %j or %%)";
        ++i;
    }
    return std::nullopt;
}

bool isDirectoryTarget(const std::string& output) {
    struct stat status {};
    return output.ends_with('/') || (stat(output.c_str(), &status) == 0 && S_ISDIR(status.st_mode));
}

void makeDirectoryTarget(const std::string& output, const OutputNameFields& fields) {
    const std::string expanded = expandTemplate(output, fields);
    if (!expanded.ends_with('/'))
        return;
    std::error_code error;
    std::filesystem::create_directory(expanded, error);
    if (error)
        throw Error("cannot make the output directory " + expanded + ": " + error.message());
}

std::string outputName(const std::string& output, const OutputNameFields& fields) {
    const std::string expanded = expandTemplate(output, fields);
    if (!isDirectoryTarget(expanded))
        return expanded;
    return (std::filesystem::path(expanded) / directoryEntryName(fields)).string();
}

} // namespace hprof::cli
