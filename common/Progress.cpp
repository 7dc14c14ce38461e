#include "common/Progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/Log.hpp"
#include "common/ParseNumber.hpp"

namespace bolo {

std::string formatDuration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e8) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}h{:02d}m", s / 3600, s % 3600 / 60);
  if (s >= 60) return fmt::format("{}m{:02d}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

ProgressReporter::ProgressReporter(std::string label, std::uint64_t total, std::string unit)
    : m_label(std::move(label)),
      m_total(total),
      m_unit(std::move(unit)),
      m_isTerminal(::isatty(STDERR_FILENO) == 1),
      m_start(std::chrono::steady_clock::now()),
      m_lastPrint(m_start) {
  m_intervalSeconds = m_isTerminal ? 0.25 : 30.0;
  if (const char* env = std::getenv("BOLO_PROGRESS_SECONDS")) {
    // Only the printing depends on it: a bad value is named and ignored, not fatal.
    if (const auto v = toNumber(env, 1e-3, 1e6)) {
      m_intervalSeconds = *v;
    } else {
      log::warn("BOLO_PROGRESS_SECONDS: '{}' is not a number of seconds in [0.001, 1e6]; ignored",
                std::string(env).substr(0, 40));
    }
  }
}

ProgressReporter::~ProgressReporter() {
  finish();
}

void ProgressReporter::update(std::uint64_t done) {
  m_done = done;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - m_lastPrint).count() >= m_intervalSeconds) {
    m_lastPrint = now;
    print(false);
  }
}

void ProgressReporter::finish() {
  if (m_finished) return;
  m_finished = true;
  print(true);
}

void ProgressReporter::print(bool final) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const double rate = elapsed > 0 ? static_cast<double>(m_done) / elapsed : 0.0;
  const double percent =
      m_total ? 100.0 * static_cast<double>(m_done) / static_cast<double>(m_total) : 100.0;
  const double eta =
      rate > 0 ? static_cast<double>(m_total - std::min(m_done, m_total)) / rate : -1;
  std::string line = fmt::format("{}: {}/{} {} ({:.0f}%), {:.4g} {}/s", m_label, m_done, m_total,
                                 m_unit, percent, rate, m_unit);
  line += final ? fmt::format(", took {}", formatDuration(elapsed))
                : fmt::format(", ETA {}", formatDuration(eta));
  if (m_isTerminal) {
    std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace bolo
