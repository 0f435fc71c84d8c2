// A small getopt_long-like scanner over a vector of arguments, without global state, so the
// parsers of each subcommand stay pure functions that the tests can call.
//
// Accepted forms: "-F 100", "-F100", "--frequency 100", "--frequency=100", "-q", "--quiet".
// "--" ends the options: everything after it is positional. A lone "-" is positional.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hprof::cli {

struct OptionSpec {
    char short_name; // '\0' when the option has no short form
    std::string_view long_name;
    bool takes_value;
    // A value only as "--name=value"; plain "--name" gives an empty value. For options like
    // --instrument whose plain form must not swallow the program that follows.
    bool value_optional = false;
};

struct ScannedArgument {
    std::string_view option; // long name of the option; empty for a positional argument
    std::string value;       // the option's value, or the positional argument itself
    size_t index = 0;        // position of the argument in the scanned vector
};

class OptionScanner {
  public:
    // `command` names the subcommand in messages ("report"); empty for the top level.
    OptionScanner(std::span<const std::string> args, std::span<const OptionSpec> specs,
                  std::string command);

    // The next option or positional argument; nullopt at the end. Throws UsageError.
    std::optional<ScannedArgument> next();

    // Throws a UsageError "<command>: <message> (see hprof <command> --help)".
    [[noreturn]] void fail(const std::string& message) const;

  private:
    ScannedArgument scanLong(std::string_view word);
    ScannedArgument scanShort(std::string_view word);
    std::string takeValue(const OptionSpec& spec);
    const OptionSpec* findLong(std::string_view name) const;
    const OptionSpec* findShort(char name) const;

    std::span<const std::string> args_;
    std::span<const OptionSpec> specs_;
    std::string command_;
    size_t position_ = 0;
    bool options_ended_ = false;
};

} // namespace hprof::cli
