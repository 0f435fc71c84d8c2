// Builds a Profile while interning its tables: the same module, function, frame or stack node
// added twice gets the same id. Used by the collector and by tests that need a profile.
#pragma once

#include "hprof/profile.h"

#include <memory>

namespace hprof {

class ProfileBuilder {
  public:
    ProfileBuilder();
    ~ProfileBuilder();
    ProfileBuilder(const ProfileBuilder&) = delete;
    ProfileBuilder& operator=(const ProfileBuilder&) = delete;

    ModuleId internModule(const Module& module);         // by (path, build_id)
    FunctionId internFunction(const Function& function); // by (name, file, line, module)
    FrameId internFrame(const Frame& frame);             // by (function, line, inlined)
    StackId internStack(StackId parent, FrameId frame);  // by (parent, frame)

    // Processes, threads and samples are not interned: append to profile() directly.
    Profile& profile();
    // Sorts samples by time and hands the profile over; the builder is empty afterwards.
    Profile take();

  private:
    struct Indexes;
    Profile profile_;
    std::unique_ptr<Indexes> indexes_;
};

} // namespace hprof
