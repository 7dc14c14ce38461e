#pragma once
// A unique temporary directory per test, removed at the end unless BOLO_KEEP_TEST_FILES is set.

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

namespace bolo::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "bolo-test") {
    std::random_device device;
    const auto base = std::filesystem::temp_directory_path();
    do {
      m_path = base / (prefix + "-" + std::to_string(device()));
    } while (std::filesystem::exists(m_path));
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    if (!std::getenv("BOLO_KEEP_TEST_FILES")) {
      std::error_code ec;
      std::filesystem::remove_all(m_path, ec);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

}  // namespace bolo::test
