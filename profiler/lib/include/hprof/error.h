// The one exception type of the profile library: its what() is a complete one-line message
// meant for the user ("profile.hprof: truncated (section 'samples' ends at byte 120 of 96)").
#pragma once

#include <stdexcept>
#include <string>

namespace hprof {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace hprof
