// hprof: dispatches the command line to its command and turns any failure into one line on
// stderr and exit status 2.
#include "cli_error.h"
#include "collect_command.h"
#include "command_line.h"
#include "compare_command.h"
#include "export_command.h"
#include "help.h"
#include "import_command.h"
#include "merge_command.h"
#include "record_command.h"
#include "report_command.h"
#include "scaling_command.h"
#include "view_command.h"

#include <iostream>

namespace {

using namespace hprof::cli;

int dispatch(const Invocation& invocation) {
    switch (invocation.command) {
    case Command::Record:
        return runRecord(invocation.record);
    case Command::Report:
        return runReport(invocation.report);
    case Command::Collect:
        return runCollect(invocation.collect);
    case Command::View:
        runView(invocation.view_args);
    case Command::Help:
        printHelp(invocation.help_topic, std::cout);
        return 0;
    case Command::Diff:
        return runDiff(invocation.diff);
    case Command::Check:
        return runCheck(invocation.check);
    case Command::Export:
        return runExport(invocation.export_options);
    case Command::Scaling:
        return runScaling(invocation.scaling);
    case Command::Import:
        return runImport(invocation.import_options);
    case Command::Merge:
        return runMerge(invocation.merge);
    case Command::Version:
        std::cout << "hprof " << HPROF_VERSION << '\n';
        return 0;
    }
    return kExitHprofError;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(parseCommandLine(std::vector<std::string>(argv + 1, argv + argc)));
    } catch (const std::exception& error) {
        printError(error.what());
        return kExitHprofError;
    }
}
