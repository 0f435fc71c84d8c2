#include "temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

TempDir::TempDir() {
    const char* root = std::getenv("TMPDIR");
    path_ = std::string(root && *root ? root : "/tmp") + "/hprof-cli-test-XXXXXX";
    if (!mkdtemp(path_.data()))
        throw std::runtime_error("mkdtemp failed");
}

TempDir::~TempDir() {
    std::filesystem::remove_all(path_);
}

std::string TempDir::writeFile(const std::string& name, const std::string& content,
                               int mode) const {
    const std::string path = file(name);
    std::ofstream(path) << content;
    chmod(path.c_str(), mode);
    return path;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}
