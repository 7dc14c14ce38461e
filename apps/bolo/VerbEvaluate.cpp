// bolo evaluate --reference R.h5 --generated G.h5 --geometry X.xml: judge generated showers
// against a reference with the CaloChallenge metrics (high-level feature histograms with
// separation power and chi2/NDF, E_total/E_inc chi2 per incident energy, classifier AUC and
// JSD), and write evaluation.json, the plots and one self-contained report.html.

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>
#include <random>

#include "apps/bolo/AppSupport.hpp"
#include "apps/bolo/Verbs.hpp"
#include "core/AtomicFile.hpp"
#include "core/ConfigReader.hpp"
#include "core/Error.hpp"
#include "core/EvaluationReport.hpp"
#include "core/HtmlReport.hpp"
#include "core/Log.hpp"
#include "core/Manifest.hpp"
#include "core/Particle.hpp"
#include "core/Progress.hpp"
#include "core/ShowerSummary.hpp"
#ifdef BOLO_WITH_TORCH
#include "nn/ShowerClassifier.hpp"
#include "nn/TorchRuntime.hpp"
#endif

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct EvaluateOptions {
  std::string reference, generated, geometry, particle, out, config, workdir;
  std::string device = "cpu";
  std::uint64_t seed = 42;
  int threads = 0;
  bool skipClassifier = false;
  bool json = false;
};

/// evaluate.json: reading settings, plots, histograms and the classifier test.
struct EvaluateConfig {
  int chunkRows = 4096;  ///< showers read at a time
  std::vector<std::string> plotFormats = {"png", "pdf", "svg"};
  HistogramConfig histograms;
#ifdef BOLO_WITH_TORCH
  nn::ClassifierConfig classifier;
#endif
};

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
#ifdef BOLO_WITH_TORCH
  if (json.contains("classifier"))
    c.classifier = nn::classifierConfigFromJson(json["classifier"], "classifier");
#endif
  reader.finish();
  return c;
}

nlohmann::json toJson(const EvaluateConfig& c) {
  nlohmann::json j{{"chunk_rows", c.chunkRows},
                   {"plot_formats", c.plotFormats},
                   {"histograms", toJson(c.histograms)}};
#ifdef BOLO_WITH_TORCH
  j["classifier"] = nn::toJson(c.classifier);
#endif
  return j;
}

EvaluateConfig loadConfig(const EvaluateOptions& options, const WorkDir& workdir) {
  if (!options.config.empty()) return evaluateConfigFromJson(readJsonFile(options.config));
  const fs::path fallback = workdir.configs() / "evaluate.json";
  if (fs::exists(fallback)) return evaluateConfigFromJson(readJsonFile(fallback.string()));
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
#ifdef BOLO_WITH_TORCH
  nn::ClassifierInputs voxels;
#endif
};

Sample readSample(const ShowerFileReader& reader, const ShowerFeatureCalculator& calculator,
                  const EvaluateConfig& config, bool classifier, std::uint64_t seed,
                  const std::string& label) {
  Sample sample;
#ifdef BOLO_WITH_TORCH
  const bool wantVoxels =
      classifier && std::find(config.classifier.inputs.begin(), config.classifier.inputs.end(),
                              "voxels") != config.classifier.inputs.end();
  sample.keep =
      pickRows(reader.events(), classifier ? config.classifier.maxShowersPerClass : 0, seed);
#else
  const bool wantVoxels = false;
  (void)classifier;
  (void)seed;
  sample.keep.assign(reader.events(), true);
#endif
  ProgressReporter progress("features " + label, reader.events(), "showers");
  sample.features = calculator.compute(reader, static_cast<std::size_t>(config.chunkRows),
                                       [&](const ShowerBatch& chunk, std::size_t first) {
                                         if (wantVoxels) {
#ifdef BOLO_WITH_TORCH
                                           for (std::size_t i = 0; i < chunk.size(); ++i) {
                                             if (sample.keep[first + i])
                                               nn::appendVoxelInputs(chunk, i, sample.voxels);
                                           }
#endif
                                         }
                                         progress.update(first + chunk.size());
                                       });
  progress.finish();
  return sample;
}

std::string formatNumber(double x) {
  return std::isfinite(x) ? fmt::format("{:.4g}", x) : "n/a";
}

std::string chi2Cell(const Chi2Result& r) {
  return formatNumber(r.chi2PerNdf());
}

std::string plotName(const fs::path& image, const fs::path& out) {
  return fs::relative(image, out).string();
}

fs::path pngOf(const std::vector<fs::path>& images) {
  for (const auto& image : images) {
    if (image.extension() == ".png") return image;
  }
  return {};
}

HtmlDocument buildPage(const nlohmann::json& report, const std::vector<FeatureComparison>& features,
                       const std::vector<std::vector<fs::path>>& featureImages,
                       const std::optional<Chi2OverEnergyPoints>& points,
                       const std::vector<fs::path>& pointImages) {
  HtmlDocument doc;
  doc.title = "Bolo shower evaluation";
  doc.subtitle =
      fmt::format("generated {} against reference {}, geometry {}, {}",
                  report["generated"]["path"].get<std::string>(),
                  report["reference"]["path"].get<std::string>(),
                  report["geometry"]["path"].get<std::string>(), report["date"].get<std::string>());
  std::vector<std::vector<std::string>> summary = {
      {"reference showers", std::to_string(report["reference"]["showers"].get<std::size_t>())},
      {"generated showers", std::to_string(report["generated"]["showers"].get<std::size_t>())},
      {"mean separation power over features",
       formatNumber(report["separation_power_mean"].get<double>())},
      {"chi2/NDF over features (sum chi2 / sum NDF)",
       formatNumber(report["features_chi2"]["chi2_per_ndf"].is_null()
                        ? NAN
                        : report["features_chi2"]["chi2_per_ndf"].get<double>())}};
  if (points)
    summary.push_back(
        {"E_total/E_inc chi2/NDF combined over energy points", chi2Cell(points->combined)});
  for (const auto& [input, result] : report["classifier"].items()) {
    if (!result.is_object() || !result.contains("auc")) continue;
    summary.push_back(
        {fmt::format("classifier AUC ({})", input), formatNumber(result["auc"].get<double>())});
    summary.push_back(
        {fmt::format("classifier JSD ({})", input), formatNumber(result["jsd"].get<double>())});
  }
  doc.sections.push_back({"Summary", htmlTable({"metric", "value"}, summary), {}});

  std::vector<std::vector<std::string>> classifierRows;
  for (const auto& [input, result] : report["classifier"].items()) {
    if (!result.is_object() || !result.contains("auc")) continue;
    classifierRows.push_back({input, formatNumber(result["auc"].get<double>()),
                              formatNumber(result["jsd"].get<double>()),
                              formatNumber(result["accuracy"].get<double>()),
                              formatNumber(result["auc_uncalibrated"].get<double>()),
                              std::to_string(result["best_epoch"].get<int>()) + " / " +
                                  std::to_string(result["epochs_run"].get<int>()),
                              std::to_string(result["showers_per_class"].get<std::size_t>())});
  }
  std::string classifierHtml =
      "<p>A network trained to tell generated (label 0) from reference (label 1) showers; figures "
      "on the "
      "test split after isotonic calibration. AUC 0.5 and JSD 0 mean indistinguishable.</p>\n";
  if (classifierRows.empty()) {
    classifierHtml += "<p>" +
                      htmlEscape(report["classifier"].value("skipped", std::string("not run"))) +
                      "</p>\n";
  } else {
    classifierHtml += htmlTable({"inputs", "AUC", "JSD", "accuracy", "AUC (uncalibrated)",
                                 "best epoch", "showers per class"},
                                classifierRows);
  }
  doc.sections.push_back({"Classifier test", classifierHtml, {}});

  if (points) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : points->points) {
      rows.push_back({fmt::format("{:.6g}", p.energyMeV), std::to_string(p.referenceShowers),
                      std::to_string(p.generatedShowers),
                      p.generatedShowers ? formatNumber(p.chi2.chi2) : "n/a",
                      std::to_string(p.chi2.ndf), p.generatedShowers ? chi2Cell(p.chi2) : "n/a",
                      p.generatedShowers ? formatNumber(p.separationPower) : "n/a"});
    }
    rows.push_back({"combined", "", "", formatNumber(points->combined.chi2),
                    std::to_string(points->combined.ndf), chi2Cell(points->combined), ""});
    HtmlSection section{
        "E_total / E_inc per incident energy",
        htmlTable({"E_inc [MeV]", "reference", "generated", "chi2", "NDF", "chi2/NDF", "S"}, rows),
        {}};
    if (const auto png = pngOf(pointImages); !png.empty())
      section.images.push_back({png, "E_total / E_inc per energy point"});
    doc.sections.push_back(section);
  }

  std::vector<std::vector<std::string>> rows;
  HtmlSection featureSection{"High-level features", "", {}};
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto& f = features[i];
    rows.push_back({f.column->name, formatNumber(f.separationPower), chi2Cell(f.chi2),
                    formatNumber(f.referenceMean), formatNumber(f.generatedMean)});
    if (const auto png = pngOf(featureImages[i]); !png.empty())
      featureSection.images.push_back({png, f.column->title});
  }
  featureSection.bodyHtml =
      "<p>Reference filled, generated as a line; lower panels show generated / reference. S is the "
      "separation power (0 identical, 1 disjoint).</p>\n" +
      htmlTable({"feature", "separation power", "chi2/NDF", "reference mean", "generated mean"},
                rows);
  doc.sections.push_back(featureSection);
  doc.sections.push_back(
      {"How to read this page",
       "<p>Definitions of every number are in docs/evaluation.md of the Bolo sources; the same "
       "numbers are in evaluation.json beside this page, the plots (PNG, PDF, SVG with their "
       "gnuplot scripts and data) in plots/.</p>\n",
       {}});
  return doc;
}

void runEvaluate(const EvaluateOptions& options) {
  const WorkDir workdir = resolveWorkDir(options.workdir);
  std::optional<Particle> particle;
  if (!options.particle.empty()) particle = parseParticle(options.particle);
  std::string geometryPath = options.geometry;
  if (geometryPath.empty()) {
    if (!particle) throw InputError("evaluate: give --geometry XML or --particle pions|photons");
    geometryPath = defaultGeometryPath(*particle);
  }
  std::string referencePath = options.reference;
  if (referencePath.empty()) {
    if (!particle)
      throw InputError(
          "evaluate: give --reference FILE or --particle to use the work directory's reference");
    referencePath = (workdir.data() / (particleName(*particle) + "_reference.h5")).string();
  }
  const EvaluateConfig config = loadConfig(options, workdir);
  const auto geometry = ShowerGeometry::fromXml(geometryPath);
  const ShowerFileReader reference(referencePath), generated(options.generated);
  for (const auto* reader : {&reference, &generated}) {
    checkVoxelCount(*reader, geometry);
    if (reader->events() == 0)
      throw InputError(fmt::format("{}: file holds no showers", reader->path().string()));
  }
  bool classifier = !options.skipClassifier;
  std::string device = "cpu";
  std::string classifierSkipped;
#ifdef BOLO_WITH_TORCH
  classifier = classifier && config.classifier.enabled && !config.classifier.inputs.empty();
  if (classifier) {
    const auto choice = nn::resolveDevice(options.device);
    device = choice.device;
    if (options.device == "auto")
      log::info("classifier device {}: {}", choice.device, choice.reason);
    nn::configureCpuThreads(resolveThreads(options.threads));
  } else {
    classifierSkipped = "skipped (--skip-classifier or classifier.enabled false)";
  }
#else
  classifier = false;
  classifierSkipped = "skipped: this bolo was built without LibTorch";
#endif

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
    report["features"].push_back(toJson(c));
    featureChi2.push_back(c.chi2);
    separationSum += c.separationPower;
  }
  report["separation_power_mean"] = separationSum / static_cast<double>(comparisons.size());
  report["features_chi2"] = toJson(combineChi2(featureChi2));
  report["energy_points"] = points ? toJson(*points) : nlohmann::json(nullptr);

  report["classifier"] = nlohmann::json::object();
  if (!classifierSkipped.empty()) report["classifier"]["skipped"] = classifierSkipped;
#ifdef BOLO_WITH_TORCH
  if (classifier) {
    for (const auto& input : config.classifier.inputs) {
      nn::ClassifierInputs refInputs, genInputs;
      if (input == "voxels") {
        refInputs = ref.voxels;
        genInputs = gen.voxels;
      } else {
        for (std::size_t i = 0; i < ref.features.showers(); ++i) {
          if (ref.keep[i]) nn::appendHighLevelInputs(ref.features, i, refInputs);
        }
        for (std::size_t i = 0; i < gen.features.showers(); ++i) {
          if (gen.keep[i]) nn::appendHighLevelInputs(gen.features, i, genInputs);
        }
      }
      const auto result = nn::runClassifierTest(genInputs, refInputs, config.classifier,
                                                options.seed, device, input);
      report["classifier"][input] = nn::toJson(result);
    }
  }
#endif

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
  report["plots"] = plots;
  report["html"] = "report.html";
  writeFileAtomically(out / "evaluation.json", report.dump(2) + "\n");
  writeFileAtomically(out / "report.html", renderHtml(buildPage(report, comparisons, featureImages,
                                                                points, pointImages)));
  finishManifest(out, manifest, "completed");
  log::info("evaluation written to {} (report.html, evaluation.json, {} plot files)", out.string(),
            plots.size());
  if (options.json) printJson(report);
}

}  // namespace

nlohmann::json evaluateDefaultConfig() {
  return toJson(EvaluateConfig{});
}

void setupEvaluate(CLI::App& app) {
  auto options = std::make_shared<EvaluateOptions>();
  auto* verb = app.add_subcommand(
      "evaluate",
      "Compare generated showers with a reference: CaloChallenge features, chi2, "
      "separation power, classifier AUC/JSD, plots and an HTML report");
  verb->add_option(
      "--reference", options->reference,
      "Reference shower file (default with --particle: <workdir>/data/<particle>_reference.h5)");
  verb->add_option("--generated", options->generated, "Generated shower file to judge")->required();
  verb->add_option("--geometry", options->geometry,
                   "Binning XML (default with --particle: the shipped one)");
  verb->add_option("--particle", options->particle, "pions or photons");
  verb->add_option("--out", options->out,
                   "Output directory (default: <workdir>/output/evaluation[-<particle>])");
  verb->add_option("--config", options->config,
                   "evaluate.json (default: <workdir>/configs/evaluate.json if present)");
  verb->add_option("--seed", options->seed,
                   "Seed of the classifier's shower sampling, split and training")
      ->capture_default_str();
  verb->add_option("--device", options->device, "Classifier device: cpu, cuda, cuda:N or auto")
      ->capture_default_str();
  verb->add_option("--threads", options->threads,
                   "CPU threads for the classifier (default: all cores)");
  verb->add_flag("--skip-classifier", options->skipClassifier,
                 "Histograms only, no classifier test");
  verb->add_flag("--json", options->json, "Print the report as JSON on stdout");
  addWorkDirOption(verb, options->workdir);
  verb->callback([options] { runEvaluate(*options); });
}

}  // namespace bolo::app
