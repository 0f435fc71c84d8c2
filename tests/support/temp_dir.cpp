#include "temp_dir.h"

#include "files.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>

namespace hprof::test {

TempDir::TempDir() {
    const char* root = std::getenv("TMPDIR");
    path_ = std::string(root && *root ? root : "/tmp") + "/hprof-test-XXXXXX";
    if (!mkdtemp(path_.data()))
        throw std::runtime_error("cannot create a directory from " + path_);
}

TempDir::~TempDir() {
    std::error_code ignored; // a destructor must not throw; a leftover directory is harmless
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::writeFile(const std::string& name, const std::string& content,
                               int mode) const {
    const std::string path = file(name);
    test::writeFile(path, content);
    if (chmod(path.c_str(), mode_t(mode)) != 0)
        throw std::runtime_error("cannot set the mode of " + path);
    return path;
}

} // namespace hprof::test
