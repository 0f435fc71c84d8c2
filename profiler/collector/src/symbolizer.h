// Turns (module file, address in that file) into source-level frames with elfutils libdwfl.
// Each module file gets its own Dwfl session, reported at its file addresses, so one session
// serves every process that mapped the file, at whatever load address, even after a dlclose.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <elfutils/libdwfl.h>

namespace hprof {

struct ModuleFile {
    std::string path;
    std::string build_id; // lowercase hex as recorded at run time; empty if unknown
};

struct SymbolizedFrame {
    std::string function; // demangled, or "module+0xOFF" when nothing better is known
    std::string file;     // source file of the function's definition, empty if unknown
    uint32_t function_line = 0;
    uint32_t line = 0; // the line executing in this frame, 0 if unknown
    bool inlined = false;
};

// "libfoo.so+0x1a2b": the name of code no symbol covers, at `offset` in the module's file.
std::string pseudoFunctionName(const std::string& module_path, uint64_t file_address);

class Symbolizer {
  public:
    // debuginfo_paths are searched (for ".build-id/xx/yyyy.debug" files and debug links)
    // before the default places.
    explicit Symbolizer(const std::vector<std::string>& debuginfo_paths);
    ~Symbolizer();
    Symbolizer(const Symbolizer&) = delete;
    Symbolizer& operator=(const Symbolizer&) = delete;

    // Innermost frame first (inlined functions, then the function the code belongs to); never
    // empty. A module that cannot be read yields a pseudo-function and one warning.
    std::vector<SymbolizedFrame> symbolize(const ModuleFile& module, uint64_t file_address);

    // One line per module that could not be symbolized, in the order they were found.
    const std::vector<std::string>& warnings() const { return warnings_; }

  private:
    struct Session;
    Session& session(const ModuleFile& module);
    uint64_t unnamedFunctionOffset(Session& open, uint64_t file_address);

    std::string debuginfo_path_;
    char* debuginfo_path_pointer_ = nullptr;
    Dwfl_Callbacks callbacks_{};
    std::map<std::pair<std::string, std::string>, std::unique_ptr<Session>> sessions_;
    std::vector<std::string> warnings_;
};

} // namespace hprof
