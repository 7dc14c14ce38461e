// bolo inspect FILE [--geometry XML]: validate a shower file and summarise it.
// Exit 0 on a valid file, 2 naming the problem on an invalid one.

#include <cstdio>
#include <optional>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "calo/Particle.hpp"
#include "calo/ShowerSummary.hpp"

namespace bolo::app {

namespace {

struct InspectOptions {
  std::string file;
  std::string geometry;
  std::string particle;
  bool json = false;
};

void runInspect(const InspectOptions& options) {
  std::optional<ShowerGeometry> geometry;
  if (!options.geometry.empty())
    geometry = ShowerGeometry::fromXml(options.geometry);
  else if (!options.particle.empty())
    geometry = ShowerGeometry::forParticle(parseParticle(options.particle));
  const ShowerFileReader reader(options.file);
  const auto summary = summarizeShowers(reader, geometry);
  if (options.json)
    printJson(toJson(summary));
  else
    std::fputs(formatSummary(summary).c_str(), stdout);
}

}  // namespace

void setupInspect(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  auto* verb =
      app.add_subcommand("inspect", "Validate a CaloChallenge shower file and print a summary");
  verb->add_option("file", options->file, "HDF5 shower file")->required();
  auto* geometry = verb->add_option("--geometry", options->geometry,
                                    "Binning XML to check the voxel count against");
  verb->add_option("--particle", options->particle,
                   "Check against the shipped geometry of pions or photons")
      ->excludes(geometry);
  verb->add_flag("--json", options->json, "Print the summary as JSON");
  verb->callback([options] { runInspect(*options); });
}

}  // namespace bolo::app
