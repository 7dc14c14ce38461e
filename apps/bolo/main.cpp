// bolo: the command-line program. main() only wires the verbs together and maps errors to
// the exit codes of the README table; the work happens in the verb files and the libraries.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "apps/bolo/Verbs.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/StopSignal.hpp"
#include "common/Version.hpp"

namespace {

int reportError(bolo::ExitCode code, const std::string& message) {
  std::fprintf(stderr, "bolo: error: %s\n", message.c_str());
  return static_cast<int>(code);
}

std::vector<std::string> verbNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

/// An argument in verb position that is not a verb: CLI11 would call it an "extra argument";
/// users should instead see the list of valid verbs.
std::string unknownVerb(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.empty() || arg[0] == '-') continue;
    for (const auto& name : verbNames(app)) {
      if (name == arg) return {};
    }
    return arg;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);  // a closed pipe is an error to report, not a reason to die
  CLI::App app{"bolo: train calorimeter GANs and flavour taggers on GPU batch resources"};
  app.name("bolo");
  app.set_version_flag("--version",
                       fmt::format("bolo {} (commit {})", bolo::version(), bolo::gitCommit()));
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Print debug messages");
  app.add_flag("-q,--quiet", quiet, "Print only warnings and errors");
  app.require_subcommand(1);
  app.fallthrough();

  for (auto* setup : bolo::app::verbSetups()) setup(app);

  app.parse_complete_callback([&] { bolo::log::configure(verbose, quiet); });
  bolo::installStopSignalHandlers();

  if (const auto verb = unknownVerb(app, argc, argv); !verb.empty()) {
    return reportError(bolo::ExitCode::kInvalidInput,
                       fmt::format("unknown verb '{}': valid verbs are {}", verb,
                                   fmt::join(verbNames(app), ", ")));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    return reportError(bolo::ExitCode::kInvalidInput,
                       fmt::format("{} (see bolo --help)", e.what()));
  } catch (const bolo::Error& e) {
    return reportError(e.code(), e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    // A folder or file that cannot be made or moved: an I/O error, which the README table
    // makes a runtime failure (1) wherever it happens; the message names the paths.
    return reportError(bolo::ExitCode::kRuntimeFailure, e.what());
  } catch (const std::exception& e) {
    return reportError(bolo::ExitCode::kRuntimeFailure,
                       fmt::format("internal error: {}", e.what()));
  }
  return 0;
}
