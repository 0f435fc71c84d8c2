#include "export_command.h"

#include "hprof/error.h"
#include "hprof/profile_io.h"
#include "output_file.h"
#include "report_command.h"

#include <ext/stdio_filebuf.h>
#include <iostream>
#include <set>
#include <unistd.h>

namespace hprof::cli {
namespace {

bool isBinary(ExportFormat format) {
    return format == ExportFormat::Pstats || format == ExportFormat::Pprof;
}

// A binary file on a terminal is garbage on the screen, and may leave the terminal in a strange
// state: refused before any work is done.
void refuseTerminal(ExportFormat format) {
    if (isBinary(format) && isatty(STDOUT_FILENO))
        throw Error("export: " + std::string(exportFormatName(format)) +
                    " is a binary format: give -o FILE or redirect standard output");
}

// The export, written into `fd` through a stream of its own (a duplicate: the caller closes fd).
ExportNotes exportInto(int fd, const SampleSelector& selector, ExportFormat format) {
    const int duplicate = dup(fd);
    if (duplicate < 0)
        throw Error("cannot duplicate the output's file descriptor");
    __gnu_cxx::stdio_filebuf<char> buffer(duplicate, std::ios::out | std::ios::binary);
    std::ostream out(&buffer);
    ExportNotes notes = exportProfile(selector, format, out);
    if (buffer.close() == nullptr)
        throw Error("cannot write the " + std::string(exportFormatName(format)) + " export");
    return notes;
}

void printDropped(const ExportNotes& notes, ExportFormat format) {
    std::set<std::string> printed;
    for (const std::string& dropped : notes.dropped) {
        if (printed.insert(dropped).second)
            std::cerr << "hprof export: " << exportFormatName(format) << " drops " << dropped
                      << "\n";
    }
}

} // namespace

int runExport(const ExportCommandOptions& options) {
    if (options.output)
        checkOutputWritable(*options.output);
    else
        refuseTerminal(options.format);
    const Profile profile = readProfile(options.file);
    const SampleSelector selector(profile, resolveFilterOf(profile, options.file, options.filter));
    ExportNotes notes;
    if (options.output) {
        auto write = [&](int fd) { notes = exportInto(fd, selector, options.format); };
        saveFile(write, *options.output, Backup::None);
    } else {
        try {
            notes = exportProfile(selector, options.format, std::cout);
        } catch (const Error& error) {
            throw Error("export: standard output: " + std::string(error.what()));
        }
    }
    printDropped(notes, options.format);
    return 0;
}

} // namespace hprof::cli
