#pragma once
// HTCondor: submit description files and the parsing of condor_q / condor_history -json.
// Pure functions. Untested against a live pool (HTCondor cannot be installed where Bolo is
// developed); the formats follow the HTCondor manual and are pinned by golden files.

#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/JobState.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

/// The submit description for `request` on `site`/`queue`. Arguments use HTCondor's quoted
/// syntax, '$' is written as $(DOLLAR) so no value is macro-expanded, and the task
/// placeholder becomes $(ProcId). Exit 75 (state saved) is retried up to maxRequeues times.
std::string renderCondorSubmit(const JobRequest& request, const SiteSpec& site,
                               const QueueSpec& queue);

/// One argument in HTCondor's "new" argument syntax (without the outer double quotes).
std::string condorQuoteArgument(const std::string& argument);

/// The cluster id printed by `condor_submit -terse` ("123.0 - 123.9"); RuntimeFailure if none.
std::string parseCondorSubmitCluster(const std::string& output);

struct CondorJobInfo {
  std::string cluster;
  int proc = 0;
  int jobStatus = 0;  ///< 1 idle, 2 running, 3 removed, 4 completed, 5 held, ...
  int exitCode = 0;
  bool exitBySignal = false;
  int holdReasonCode = 0;
  std::string reason;  ///< hold or remove reason
  JobState state = JobState::kUnknown;
};

/// Parse the JSON array printed by `condor_q -json` or `condor_history -json` (empty output
/// means no jobs). Malformed output is a RuntimeFailure.
std::vector<CondorJobInfo> parseCondorJobAds(const std::string& output);

}  // namespace bolo::batch
