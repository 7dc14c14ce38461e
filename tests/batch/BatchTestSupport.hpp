#pragma once
// Helpers shared by the batch tests: unique temporary directories, golden-file comparison
// (BOLO_UPDATE_GOLDEN=1 rewrites the files) and the hostile argument list.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bolo::batch::test {

inline std::filesystem::path makeTempDir(const std::string& stem) {
  static std::atomic<int> counter{0};
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("bolo-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::filesystem::path goldenPath(const std::string& name) {
  return std::filesystem::path(BOLO_SOURCE_DIR) / "tests" / "batch" / "golden" / name;
}

/// Compare `actual` with tests/batch/golden/<name>; with BOLO_UPDATE_GOLDEN=1 write it.
inline void expectGolden(const std::string& name, const std::string& actual) {
  const auto path = goldenPath(name);
  if (const char* update = std::getenv("BOLO_UPDATE_GOLDEN");
      update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << "missing golden file " << path;
  EXPECT_EQ(readText(path), actual)
      << "differs from " << path << " (BOLO_UPDATE_GOLDEN=1 rewrites it)";
}

/// Values that would run code or act as options if they were ever parsed by a shell or a
/// batch system: each must reach the payload as one unchanged argument.
inline std::vector<std::string> hostileArguments(const std::string& sideEffectFile) {
  return {"two words",
          "$(touch " + sideEffectFile + ".dollar)",
          "`touch " + sideEffectFile + ".backtick`",
          "'; touch " + sideEffectFile + ".single; '",
          "\"; touch " + sideEffectFile + ".double; \"",
          "line one\ntouch " + sideEffectFile + ".newline",
          "--output=/etc/passwd",
          "-rf",
          "*",
          "${HOME}",
          "a\\b",
          "tab\there",
          "",
          "semi;colon|pipe&amp>redirect<in"};
}

/// A payload script that writes its arguments (NUL-separated) and BOLO_WORKDIR to $ARGV_OUT.
inline std::filesystem::path writeArgvPrinter(const std::filesystem::path& dir) {
  const auto path = dir / "print-argv.sh";
  std::ofstream(path) << "#!/bin/bash\n"
                         "for a in \"$@\"; do printf '%s\\0' \"$a\"; done >\"$ARGV_OUT\"\n"
                         "printf '%s' \"${BOLO_WORKDIR:-}\" >\"$ARGV_OUT.workdir\"\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

inline std::vector<std::string> readNulSeparated(const std::filesystem::path& path) {
  const std::string text = readText(path);
  std::vector<std::string> out;
  std::string current;
  for (const char c : text) {
    if (c == '\0') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return out;
}

}  // namespace bolo::batch::test
