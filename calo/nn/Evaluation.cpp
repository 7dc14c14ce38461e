#include "calo/nn/Evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>
#include <random>

#include "calo/CaloLayout.hpp"
#include "calo/Particle.hpp"
#include "calo/ResponsePlot.hpp"
#include "calo/ShowerSummary.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/HtmlReport.hpp"
#include "common/Log.hpp"
#include "common/MachineInfo.hpp"
#include "common/Manifest.hpp"
#include "common/Progress.hpp"
#include "common/StopSignal.hpp"
#include "common/WorkDir.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

EvaluateConfig evaluateConfigFromJson(const nlohmann::json& json) {
  EvaluateConfig c;
  ConfigReader reader(json, "");
  reader.readPositive("chunk_rows", c.chunkRows);
  reader.read("plot_formats", c.plotFormats);
  for (const auto& f : c.plotFormats) {
    if (f != "png" && f != "pdf" && f != "svg")
      reader.fail("plot_formats", "a list of \"png\", \"pdf\", \"svg\"");
  }
  if (std::find(c.plotFormats.begin(), c.plotFormats.end(), "png") == c.plotFormats.end()) {
    reader.fail("plot_formats", "a list that includes \"png\" (the HTML report embeds PNG)");
  }
  reader.section("histograms");  // checks it is an object; its keys are checked below
  if (json.contains("histograms"))
    c.histograms = histogramConfigFromJson(json["histograms"], "histograms");
  reader.section("classifier");
  if (json.contains("classifier"))
    c.classifier = classifierConfigFromJson(json["classifier"], "classifier");
  reader.finish();
  return c;
}

nlohmann::json toJson(const EvaluateConfig& c) {
  nlohmann::json j{{"chunk_rows", c.chunkRows},
                   {"plot_formats", c.plotFormats},
                   {"histograms", bolo::toJson(c.histograms)}};
  j["classifier"] = toJson(c.classifier);
  return j;
}

namespace {

EvaluateConfig loadConfig(const EvaluationRequest& options, const WorkDir& workdir) {
  const fs::path file = workdir.configFile(options.config, "evaluate.json");
  if (!file.empty()) return evaluateConfigFromJson(readJsonFile(file.string()));
  return {};
}

nlohmann::json describeFile(const ShowerFileReader& reader) {
  return {{"path", reader.path().string()},
          {"showers", reader.events()},
          {"voxels", reader.voxels()},
          {"precision", reader.precision() == ShowerPrecision::kFloat64 ? "float64" : "float32"}};
}

/// Up to `limit` row indices of `rows`, drawn at random (all when limit is 0 or large).
std::vector<bool> pickRows(std::size_t rows, long long limit, std::uint64_t seed) {
  std::vector<bool> keep(rows, true);
  if (limit <= 0 || static_cast<std::size_t>(limit) >= rows) return keep;
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::fill(keep.begin(), keep.end(), false);
  for (std::size_t i = 0; i < static_cast<std::size_t>(limit); ++i) keep[order[i]] = true;
  return keep;
}

/// One sample's features, plus the showers the classifier will see.
struct Sample {
  ShowerFeatures features;
  std::vector<bool> keep;
  ClassifierInputs voxels;
};

Sample readSample(const ShowerFileReader& reader, const ShowerFeatureCalculator& calculator,
                  const EvaluateConfig& config, bool classifier, std::uint64_t seed,
                  const std::string& label) {
  Sample sample;
  const bool wantVoxels =
      classifier && std::find(config.classifier.inputs.begin(), config.classifier.inputs.end(),
                              "voxels") != config.classifier.inputs.end();
  sample.keep =
      pickRows(reader.events(), classifier ? config.classifier.maxShowersPerClass : 0, seed);
  ProgressReporter progress("features " + label, reader.events(), "showers");
  sample.features = calculator.compute(reader, static_cast<std::size_t>(config.chunkRows),
                                       [&](const ShowerBatch& chunk, std::size_t first) {
                                         if (wantVoxels) {
                                           for (std::size_t i = 0; i < chunk.size(); ++i) {
                                             if (sample.keep[first + i])
                                               appendVoxelInputs(chunk, i, sample.voxels);
                                           }
                                         }
                                         progress.update(first + chunk.size());
                                       });
  progress.finish();
  return sample;
}

std::string plotName(const fs::path& image, const fs::path& out) {
  return fs::relative(image, out).string();
}

nlohmann::json evaluateInto(const fs::path& out, const EvaluationRequest& options,
                            const EvaluateConfig& config, const ShowerGeometry& geometry,
                            const std::string& geometryPath, const ShowerFileReader& reference,
                            const ShowerFileReader& generated, bool classifier,
                            const std::string& device, const std::string& classifierSkipped) {
  const ShowerFeatureCalculator calculator(geometry, config.histograms.sparsityThreshold);
  const Sample ref =
      readSample(reference, calculator, config, classifier, options.seed, "reference");
  const Sample gen =
      readSample(generated, calculator, config, classifier, options.seed + 1, "generated");

  const auto comparisons = compareFeatures(ref.features, gen.features, config.histograms);
  std::optional<Chi2OverEnergyPoints> points;
  if (!discreteEnergyPoints(ref.features.incidentEnergies).empty()) {
    EnergyPointBinning binning;
    binning.bins = config.histograms.energyPointBins;
    binning.tailFraction = config.histograms.tailFraction;
    points = chi2OverEnergyPoints(ref.features.incidentEnergies, ref.features.columns[0].values,
                                  gen.features.incidentEnergies, gen.features.columns[0].values,
                                  binning);
    for (double e : points->missingEnergies)
      log::warn("no generated shower at the reference energy {} MeV", e);
  } else {
    log::info("continuous incident energies: no chi2 per energy point");
  }

  nlohmann::json report;
  report["date"] = utcNow();
  report["seed"] = options.seed;
  report["reference"] = describeFile(reference);
  report["generated"] = describeFile(generated);
  report["geometry"] = {
      {"path", geometryPath}, {"name", geometry.name()}, {"voxels", geometry.voxelCount()}};
  report["features"] = nlohmann::json::array();
  std::vector<Chi2Result> featureChi2;
  double separationSum = 0;
  for (const auto& c : comparisons) {
    report["features"].push_back(bolo::toJson(c));
    featureChi2.push_back(c.chi2);
    separationSum += c.separationPower;
  }
  report["separation_power_mean"] = separationSum / static_cast<double>(comparisons.size());
  report["features_chi2"] = bolo::toJson(combineChi2(featureChi2));
  report["energy_points"] = points ? bolo::toJson(*points) : nlohmann::json(nullptr);
  // Response and resolution: mean and rms of E_total / E_inc per incident-energy point.
  std::vector<ResponsePoint> response;
  if (points) {
    auto totals = [](const ShowerFeatures& f) {
      std::vector<double> values(f.showers());
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = f.columns[0].values[i] * f.incidentEnergies[i];
      return values;
    };
    response =
        compareResponse(responseByEnergy(ref.features.incidentEnergies, totals(ref.features)),
                        responseByEnergy(gen.features.incidentEnergies, totals(gen.features)));
  }
  report["response"] = points ? bolo::toJson(response) : nlohmann::json(nullptr);

  report["classifier"] = nlohmann::json::object();
  if (!classifierSkipped.empty()) report["classifier"]["skipped"] = classifierSkipped;
  if (classifier) {
    for (const auto& input : config.classifier.inputs) {
      ClassifierInputs refInputs, genInputs;
      if (input == "voxels") {
        refInputs = ref.voxels;
        genInputs = gen.voxels;
      } else {
        for (std::size_t i = 0; i < ref.features.showers(); ++i) {
          if (ref.keep[i]) appendHighLevelInputs(ref.features, i, refInputs);
        }
        for (std::size_t i = 0; i < gen.features.showers(); ++i) {
          if (gen.keep[i]) appendHighLevelInputs(gen.features, i, genInputs);
        }
      }
      const auto result =
          runClassifierTest(genInputs, refInputs, config.classifier, options.seed, device, input);
      report["classifier"][input] = toJson(result);
    }
  }

  std::vector<std::vector<fs::path>> featureImages;
  nlohmann::json plots = nlohmann::json::array();
  for (const auto& c : comparisons) {
    featureImages.push_back(plotFeatureComparison(c, out / "plots", config.plotFormats));
    for (const auto& image : featureImages.back()) plots.push_back(plotName(image, out));
  }
  std::vector<fs::path> pointImages;
  if (points) {
    pointImages = plotEnergyPoints(*points, out / "plots", config.plotFormats);
    for (const auto& image : pointImages) plots.push_back(plotName(image, out));
  }
  std::vector<fs::path> responseImages;
  if (!response.empty()) {
    responseImages =
        plotResponse(response, out / "plots" / "response",
                     "Response and resolution versus incident energy", config.plotFormats);
    for (const auto& image : responseImages) plots.push_back(plotName(image, out));
  }
  report["plots"] = plots;
  report["html"] = "report.html";
  writeFileAtomically(out / "evaluation.json", report.dump(2) + "\n");
  writeFileAtomically(out / "report.html",
                      renderHtml(evaluationPage(report, comparisons, featureImages, points,
                                                pointImages, responseImages)));
  log::info("evaluation written to {} (report.html, evaluation.json, {} plot files)", out.string(),
            plots.size());
  return report;
}

}  // namespace

nlohmann::json evaluateShowers(const EvaluationRequest& options) {
  const WorkDir workdir = resolveWorkDir(options.workdir);
  std::optional<Particle> particle;
  if (!options.particle.empty()) particle = parseParticle(options.particle);
  std::string geometryPath = options.geometry;
  if (geometryPath.empty()) {
    if (!particle) throw InputError("evaluate: give --geometry XML or --particle pions|photons");
    geometryPath = defaultGeometryPath(*particle);
  }
  std::string referenceName = options.reference;
  if (referenceName.empty()) {
    if (!particle)
      throw InputError(
          "evaluate: give --reference FILE or --particle to use the work directory's reference");
    referenceName = referencePath(workdir, *particle).string();
  }
  const EvaluateConfig config = loadConfig(options, workdir);
  const auto geometry = ShowerGeometry::fromXml(geometryPath);
  const ShowerFileReader reference(referenceName), generated(options.generated);
  for (const auto* reader : {&reference, &generated}) {
    checkVoxelCount(*reader, geometry);
    if (reader->events() == 0)
      throw InputError(fmt::format("{}: file holds no showers", reader->path().string()));
  }
  bool classifier = !options.skipClassifier;
  std::string device = "cpu";
  std::string classifierSkipped;
  classifier = classifier && config.classifier.enabled && !config.classifier.inputs.empty();
  if (classifier) {
    const auto choice = resolveDevice(options.device);
    device = choice.device;
    if (options.device == "auto")
      log::info("classifier device {}: {}", choice.device, choice.reason);
    configureCpuThreads(resolveThreads(options.threads));
  } else {
    classifierSkipped = "skipped (--skip-classifier or classifier.enabled false)";
  }

  const fs::path out =
      options.out.empty()
          ? workdir.output() / (particle ? "evaluation-" + particleName(*particle) : "evaluation")
          : fs::path(options.out);
  fs::create_directories(out / "plots");
  RunManifest manifest = startManifest("evaluate", options.seed);
  manifest.device = device;
  manifest.threads = resolveThreads(options.threads);
  writeResolvedConfig(out, toJson(config));
  writeManifest(out, manifest);
  nlohmann::json report;
  try {
    report = evaluateInto(out, options, config, geometry, geometryPath, reference, generated,
                          classifier, device, classifierSkipped);
  } catch (...) {
    finishManifest(out, manifest, stopRequested() ? "interrupted" : "failed");
    throw;
  }
  finishManifest(out, manifest, "completed");
  return report;
}

}  // namespace bolo::nn
