#include "option_scanner.h"

#include "cli_error.h"

namespace hprof::cli {

OptionScanner::OptionScanner(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             std::string command)
    : args_(args), specs_(specs), command_(std::move(command)) {}

std::optional<ScannedArgument> OptionScanner::next() {
    if (position_ < args_.size() && !options_ended_ && args_[position_] == "--") {
        options_ended_ = true;
        ++position_;
    }
    if (position_ >= args_.size())
        return std::nullopt;
    const size_t index = position_++;
    const std::string_view word = args_[index];
    if (options_ended_ || word.size() < 2 || word[0] != '-')
        return ScannedArgument{{}, std::string(word), index};
    return word[1] == '-' ? scanLong(word.substr(2)) : scanShort(word.substr(1));
}

void OptionScanner::fail(const std::string& message) const {
    const std::string prefix = command_.empty() ? "" : command_ + ": ";
    const std::string help = command_.empty() ? "hprof --help" : "hprof " + command_ + " --help";
    throw UsageError(prefix + message + " (see " + help + ")");
}

ScannedArgument OptionScanner::scanLong(std::string_view word) {
    const size_t equals = word.find('=');
    const OptionSpec* spec = findLong(word.substr(0, equals));
    if (!spec)
        fail("unknown option '--" + std::string(word.substr(0, equals)) + "'");
    if (equals != std::string_view::npos) {
        if (!spec->takes_value && !spec->value_optional)
            fail("option '--" + std::string(spec->long_name) + "' takes no value");
        return {spec->long_name, std::string(word.substr(equals + 1))};
    }
    return {spec->long_name, spec->takes_value ? takeValue(*spec) : std::string()};
}

ScannedArgument OptionScanner::scanShort(std::string_view word) {
    const OptionSpec* spec = findShort(word[0]);
    if (!spec)
        fail("unknown option '-" + std::string(word) + "'");
    if (!spec->takes_value) {
        if (word.size() > 1)
            fail("unknown option '-" + std::string(word) + "'");
        return {spec->long_name, {}};
    }
    if (word.size() > 1)
        return {spec->long_name, std::string(word.substr(1))};
    return {spec->long_name, takeValue(*spec)};
}

std::string OptionScanner::takeValue(const OptionSpec& spec) {
    if (position_ >= args_.size())
        fail("option '--" + std::string(spec.long_name) + "' needs a value");
    return args_[position_++];
}

const OptionSpec* OptionScanner::findLong(std::string_view name) const {
    for (const OptionSpec& spec : specs_) {
        if (spec.long_name == name)
            return &spec;
    }
    return nullptr;
}

const OptionSpec* OptionScanner::findShort(char name) const {
    for (const OptionSpec& spec : specs_) {
        if (spec.short_name != '\0' && spec.short_name == name)
            return &spec;
    }
    return nullptr;
}

} // namespace hprof::cli
