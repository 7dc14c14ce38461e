#pragma once
// Cooperative stopping on signals. Long loops poll `stopRequested()` and, when set, save
// their state and throw Interrupted with `stopExitCode()`:
//   SIGTERM, SIGUSR1 (batch pre-emption, time limit warning) -> 75, safe to requeue
//   SIGINT (Ctrl-C)                                          -> 130

#include <string>

#include "common/Error.hpp"

namespace bolo {

/// Install the handlers (idempotent). Called by main() before any verb runs.
void installStopSignalHandlers();
bool stopRequested();
/// The signal that asked to stop (0 if none).
int stopSignal();
/// Exit code for the signal received: 75 for SIGTERM/SIGUSR1, 130 for SIGINT.
ExitCode stopExitCode();
/// Interrupted error describing the signal, e.g. "stopped by SIGTERM after saving <what>".
Interrupted stopError(const std::string& whatWasSaved);
/// For tests: forget a received signal.
void resetStopRequest();

}  // namespace bolo
