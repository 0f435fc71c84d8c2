// FlameGraph's collapsed stacks ("stackcollapse" output): one line per distinct stack, outermost
// frame first, "main;parse;lex 31", the weight being the number of samples.
#include "export_formats.h"

#include "hprof/call_tree.h"
#include "report_text.h"

#include <cctype>
#include <map>

namespace hprof {
namespace {

// A frame name the readers split correctly: no ';' (the frame separator), no line break, and no
// " <digits>" at the end (the reader would take the digits for the weight).
std::string foldedName(const std::string& name) {
    std::string safe = oneLine(name);
    for (char& c : safe) {
        if (c == ';')
            c = ':';
    }
    if (safe.empty())
        return "[unknown]";
    size_t digits = safe.size();
    while (digits > 0 && std::isdigit(uint8_t(safe[digits - 1])))
        --digits;
    if (digits < safe.size() && digits > 0 && safe[digits - 1] == ' ')
        safe[digits - 1] = '_';
    return safe;
}

// The frames of the stack ending at `leaf`, outermost first, joined with ';'.
std::string foldedStack(const Profile& profile, const std::vector<std::string>& names,
                        StackId leaf) {
    std::vector<const std::string*> frames;
    for (StackId node = leaf; node.valid(); node = profile.stack(node).parent)
        frames.push_back(&names[profile.frame(profile.stack(node).frame).function.value]);
    std::string line;
    for (auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
        line += (line.empty() ? "" : ";") + **frame;
    return line;
}

std::vector<std::string> foldedDropped(const SampleSelector& selector) {
    std::vector<std::string> dropped = droppedThreadsAndTrace(
        selector, "folded stacks have no threads", "folded stacks have sample counts only");
    const Profile& profile = selector.profile();
    if (!profile.call_counts.empty())
        dropped.push_back("call counts: folded stacks have sample counts only");
    bool off_cpu = false;
    selector.forEach([&](const Sample& sample) { off_cpu |= sample.off_cpu || sample.run_queue; });
    if (off_cpu)
        dropped.push_back("off-CPU time: blocked and run-queue samples count like on-CPU ones, "
                          "one each, whatever time they stand for");
    return dropped;
}

} // namespace

ExportNotes writeFolded(const SampleSelector& selector, std::ostream& out) {
    const Profile& profile = selector.profile();
    std::vector<std::string> names;
    names.reserve(profile.functions.size());
    for (const Function& function : profile.functions)
        names.push_back(foldedName(function.name));
    // Distinct stacks can print the same (lines, modules, inlining differ): one line each.
    const StackCosts costs = computeStackCosts(selector);
    std::map<std::string, uint64_t> lines;
    for (StackId leaf : costs.leaves)
        lines[foldedStack(profile, names, leaf)] += costs.by_leaf[leaf.value].samples;
    for (const auto& [stack, samples] : lines)
        out << stack << ' ' << samples << '\n';
    return {foldedDropped(selector)};
}

} // namespace hprof
