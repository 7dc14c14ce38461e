#pragma once
// Grid submission through the PanDA client (prun). The client runs --exec with a shell on
// the worker node, so the payload is written there as single-quoted words; the prun command
// itself is an argument vector run without a shell here. Pure functions.

#include <string>
#include <vector>

#include "batch/JobRequest.hpp"
#include "batch/SiteCatalogue.hpp"

namespace bolo::batch {

struct GridNames {
  std::string inDataset;   ///< --inDS: the dataset holding the JSON inputs (empty = none)
  std::string outDataset;  ///< --outDS, e.g. "user.jdoe.bolo.scan.v1"
};

/// The prun argument vector: --exec, --containerImage, --architecture '&nvidia[-model]' for
/// GPU jobs, --site, --inDS/--outDS with --outputs for the JSON outputs, --nJobs or one input
/// file per sub-job for arrays ("{task}" becomes %IN, the sub-job's input file).
std::vector<std::string> renderPrunArguments(const JobRequest& request, const SiteSpec& site,
                                             const QueueSpec& queue, const GridNames& names);

/// The vector as one copy-pastable shell line (each word single-quoted where needed).
std::string displayCommand(const std::vector<std::string>& argv);

/// The PanDA task id ("jediTaskID=123") in prun's output; empty if absent.
std::string parsePrunTaskId(const std::string& output);

}  // namespace bolo::batch
