// A fresh directory for one test, removed with everything in it afterwards.
#pragma once

#include <string>

namespace hprof::test {

class TempDir {
  public:
    // Creates hprof-test-XXXXXX under $TMPDIR, or /tmp if that is unset or empty.
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Creates `name` holding `content` with permission bits `mode`; returns its path.
    std::string writeFile(const std::string& name, const std::string& content,
                          int mode = 0644) const;

  private:
    std::string path_;
};

} // namespace hprof::test
