#pragma once
// Progress of long work on stderr: a live line with rate and ETA on a terminal, a plain line
// every few seconds in batch logs (BOLO_PROGRESS_SECONDS, default 30).

#include <chrono>
#include <cstdint>
#include <string>

namespace bolo {

class ProgressReporter {
 public:
  /// `unit` names what is counted ("showers", "iterations").
  ProgressReporter(std::string label, std::uint64_t total, std::string unit);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Report that `done` units are finished in all; cheap enough to call often.
  void update(std::uint64_t done);
  /// Print the final line (called by the destructor if not called before).
  void finish();

 private:
  void print(bool final);

  std::string m_label;
  std::uint64_t m_total;
  std::string m_unit;
  std::uint64_t m_done = 0;
  bool m_isTerminal;
  bool m_finished = false;
  double m_intervalSeconds;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_lastPrint;
};

/// "1h02m", "3m05s", "12s".
std::string formatDuration(double seconds);

}  // namespace bolo
