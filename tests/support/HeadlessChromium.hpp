#pragma once
// Opening an HTML page in Debian's headless Chromium and reading back what the page's own
// check script recorded on <body> (see common/HtmlReport.hpp). Header-only, for tests.

#include <unistd.h>

#include <filesystem>
#include <optional>
#include <regex>
#include <string>

#include "common/Subprocess.hpp"

namespace bolo::testing {

inline const char* kChromium = "/usr/bin/chromium";

inline bool chromiumAvailable() {
  return ::access(kChromium, X_OK) == 0;
}

struct PageCheck {
  int images = -1;
  int imagesLoaded = -1;
  int errors = -1;
  std::string dom;
};

/// Load `page` (a local file, no network), let its scripts run, dump the DOM.
inline PageCheck openInChromium(const std::filesystem::path& page) {
  const auto profile = std::filesystem::temp_directory_path() /
                       ("bolo-chromium-" + std::to_string(::getpid()) + "-" + page.stem().string());
  std::filesystem::remove_all(profile);
  std::filesystem::create_directories(profile);
  const auto result = runProcess(
      {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync",
       "--user-data-dir=" + profile.string(), "--virtual-time-budget=10000", "--dump-dom",
       "file://" + std::filesystem::absolute(page).string()});
  std::filesystem::remove_all(profile);
  PageCheck check;
  check.dom = result.out;
  const auto attribute = [&](const std::string& name) {
    std::smatch m;
    const std::regex pattern(name + "=\"([0-9]+)\"");
    return std::regex_search(check.dom, m, pattern) ? std::stoi(m[1].str()) : -1;
  };
  check.images = attribute("data-images");
  check.imagesLoaded = attribute("data-images-loaded");
  check.errors = attribute("data-errors");
  return check;
}

}  // namespace bolo::testing
