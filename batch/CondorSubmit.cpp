#include "batch/CondorSubmit.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "batch/ShellQuote.hpp"
#include "common/Error.hpp"
#include "common/JsonParse.hpp"

namespace bolo::batch {

namespace fs = std::filesystem;

namespace {

/// HTCondor expands $(...) macros in every value; $(DOLLAR) is its literal '$'.
std::string escapeDollar(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '$') {
      out += "$(DOLLAR)";
    } else {
      out += c;
    }
  }
  return out;
}

/// A value written after "key = ": one line, macros disabled, no surrounding blanks (which
/// condor_submit would strip).
std::string submitValue(const std::string& value, const std::string& what) {
  requireSingleLine(value, what);
  if (!value.empty() && (value.front() == ' ' || value.back() == ' ' || value.front() == '\t')) {
    throw InputError(fmt::format("{} must not start or end with blanks: '{}'", what, value));
  }
  return escapeDollar(value);
}

/// A ClassAd string literal.
std::string classAdString(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string replaceTask(const std::string& arg) {
  return substituteTask(arg, [](int width) {
    return width == 0 ? std::string("$(ProcId)") : fmt::format("$INT(ProcId,%0{}d)", width);
  });
}

std::string fileList(const std::vector<std::string>& files, const std::string& what) {
  std::string out;
  for (const auto& f : files) {
    if (f.find(',') != std::string::npos) {
      throw InputError(
          fmt::format("{} '{}' contains a comma, which HTCondor file lists cannot hold", what, f));
    }
    if (!out.empty()) out += ", ";
    out += replaceTask(submitValue(f, what));
  }
  return out;
}

}  // namespace

std::string condorQuoteArgument(const std::string& argument) {
  std::string out;
  bool needsQuotes = argument.empty();
  for (const char c : argument) {
    if (c == ' ' || c == '\t' || c == '\'') needsQuotes = true;
  }
  for (const char c : argument) {
    if (c == '"')
      out += "\"\"";
    else if (c == '\'')
      out += "''";
    else
      out += c;
  }
  if (!needsQuotes) return out;
  std::string quoted = "'";
  quoted += out;
  quoted += '\'';
  return quoted;
}

std::string renderCondorSubmit(const JobRequest& request, const SiteSpec& site,
                               const QueueSpec& queue) {
  validateJobRequest(request);
  if (!request.afterOk.empty()) {
    throw InputError("HTCondor jobs with dependencies need DAGMan, which bolo does not write yet");
  }
  if (!request.arrayTasks.empty()) {
    throw InputError(
        "HTCondor retries of single array tasks are not supported: resubmit the array");
  }
  const auto& r = request.resources;
  std::ostringstream s;
  s << "# HTCondor submit description written by bolo for site " << site.name << ", queue "
    << queue.name << ".\n";
  s << "# Arguments use HTCondor's quoted syntax and '$' is $(DOLLAR): no value is a macro.\n";
  const bool docker = site.container.runtime == "docker";
  s << "universe = " << (docker ? "container" : "vanilla") << "\n";
  if (docker)
    s << "container_image = " << submitValue(site.container.image, "container image") << "\n";
  if (site.container.runtime == "apptainer") {
    s << "+SingularityImage = "
      << classAdString(submitValue(site.container.image, "container image")) << "\n";
  }
  s << "batch_name = " << sanitizeJobName(request.name) << "\n";
  s << "executable = " << submitValue(request.command.front(), "executable") << "\n";
  s << "transfer_executable = false\n";
  std::string args;
  for (std::size_t i = 1; i < request.command.size(); ++i) {
    const std::string arg = replaceTask(submitValue(request.command[i], "job argument"));
    if (!args.empty()) args += ' ';
    args += condorQuoteArgument(arg);
  }
  s << "arguments = \"" << args << "\"\n";
  s << "environment = \"BOLO_BATCH_TASK=$(ProcId)\"\n";
  s << "request_cpus = " << r.cpus << "\n";
  s << "request_memory = " << r.memoryMb << "\n";
  if (r.gpus > 0) {
    s << "request_gpus = " << r.gpus << "\n";
    std::vector<std::string> requirements;
    const std::string model = r.gpuModel.empty() ? queue.gpuModel : r.gpuModel;
    if (!model.empty()) {
      requirements.push_back(fmt::format("regexp({}, TARGET.GPUs_DeviceName, \"i\")",
                                         classAdString(submitValue(model, "GPU model"))));
    }
    if (r.gpuMemoryGb > 0) {
      requirements.push_back(fmt::format("TARGET.GPUs_GlobalMemoryMb >= {}",
                                         static_cast<long long>(r.gpuMemoryGb * 1024)));
    }
    if (!requirements.empty()) {
      std::string joined;
      for (const auto& req : requirements) {
        joined += joined.empty() ? "(" : " && (";
        joined += req;
        joined += ')';
      }
      s << "requirements = " << joined << "\n";
    }
  }
  s << "allowed_job_duration = " << r.timeMinutes * 60 << "\n";
  s << "should_transfer_files = YES\n";
  s << "when_to_transfer_output = ON_EXIT_OR_EVICT\n";
  if (!request.inputFiles.empty()) {
    s << "transfer_input_files = " << fileList(request.inputFiles, "input file") << "\n";
  }
  if (!request.outputFiles.empty()) {
    s << "transfer_output_files = " << fileList(request.outputFiles, "output file") << "\n";
  }
  const fs::path logDir = request.logDir.empty() ? fs::path("logs") : request.logDir;
  const std::string base =
      submitValue((logDir / sanitizeJobName(request.name)).string(), "log directory");
  s << "output = " << base << ".$(ClusterId).$(ProcId).out\n";
  s << "error = " << base << ".$(ClusterId).$(ProcId).err\n";
  s << "log = " << base << ".$(ClusterId).log\n";
  s << "# Exit 75 means the state was saved (eviction, time warning): run again from it.\n";
  s << "max_retries = " << request.maxRequeues << "\n";
  s << "retry_until = ExitCode =!= 75\n";
  s << "queue " << (request.isArray() ? request.arraySize : 1) << "\n";
  return s.str();
}

std::string parseCondorSubmitCluster(const std::string& output) {
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    const auto dot = line.find('.');
    const std::string cluster = line.substr(0, dot);
    if (dot != std::string::npos && !cluster.empty() &&
        cluster.find_first_not_of("0123456789") == std::string::npos) {
      return cluster;
    }
  }
  throw RuntimeFailure(fmt::format("condor_submit printed no cluster id: '{}'", output));
}

std::vector<CondorJobInfo> parseCondorJobAds(const std::string& output) {
  if (output.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  nlohmann::json ads;
  try {
    ads = parseJson(output, "HTCondor's JSON output");
  } catch (const InputError& e) {
    // What condor_q prints is not the user's input: a failure of the batch system (exit 1).
    throw RuntimeFailure(e.what());
  }
  if (!ads.is_array()) throw RuntimeFailure("HTCondor's JSON output is not an array of job ads");
  std::vector<CondorJobInfo> jobs;
  for (const auto& ad : ads) {
    CondorJobInfo job;
    job.cluster = std::to_string(ad.value("ClusterId", 0));
    job.proc = ad.value("ProcId", 0);
    job.jobStatus = ad.value("JobStatus", 0);
    job.exitCode = ad.value("ExitCode", 0);
    job.exitBySignal = ad.value("ExitBySignal", false);
    job.holdReasonCode = ad.value("HoldReasonCode", 0);
    job.reason = ad.value("HoldReason", ad.value("RemoveReason", std::string()));
    switch (job.jobStatus) {
      case 1:
        job.state = JobState::kPending;
        break;
      case 2:
      case 6:
        job.state = JobState::kRunning;
        break;
      case 3:
        // A job removed by the periodic duration check says so in RemoveReason.
        job.state = job.reason.find("duration") != std::string::npos ? JobState::kTimeout
                                                                     : JobState::kCancelled;
        break;
      case 4:
        job.state =
            (job.exitBySignal || job.exitCode != 0) ? JobState::kFailed : JobState::kCompleted;
        break;
      case 5:
        // Held: 34 = over its memory request, 46/47 = over its allowed duration.
        if (job.holdReasonCode == 34)
          job.state = JobState::kOutOfMemory;
        else if (job.holdReasonCode == 46 || job.holdReasonCode == 47)
          job.state = JobState::kTimeout;
        else
          job.state = JobState::kPending;
        break;
      case 7:
        job.state = JobState::kPending;
        break;
      default:
        job.state = JobState::kUnknown;
    }
    jobs.push_back(job);
  }
  return jobs;
}

}  // namespace bolo::batch
