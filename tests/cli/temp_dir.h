// A fresh directory for one test, removed with everything in it afterwards.
#pragma once

#include <string>

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Creates `name` holding `content` with permission bits `mode`; returns its path.
    std::string writeFile(const std::string& name, const std::string& content, int mode) const;

  private:
    std::string path_;
};

std::string readFile(const std::string& path);
