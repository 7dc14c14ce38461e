#include "common/StopSignal.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include <atomic>

namespace bolo {

namespace {

std::atomic<int> g_signal{0};

extern "C" void onStopSignal(int signal) {
  g_signal.store(signal);
}

}  // namespace

void installStopSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int s : {SIGTERM, SIGUSR1, SIGINT}) sigaction(s, &action, nullptr);
}

bool stopRequested() {
  return g_signal.load() != 0;
}
int stopSignal() {
  return g_signal.load();
}

ExitCode stopExitCode() {
  return g_signal.load() == SIGINT ? ExitCode::kUserInterrupt : ExitCode::kRequeue;
}

Interrupted stopError(const std::string& whatWasSaved) {
  const int s = g_signal.load();
  const char* name = s ? sigabbrev_np(s) : nullptr;
  return Interrupted(stopExitCode(), fmt::format("stopped by SIG{} after saving {}",
                                                 name ? name : "?", whatWasSaved));
}

void resetStopRequest() {
  g_signal.store(0);
}

}  // namespace bolo
