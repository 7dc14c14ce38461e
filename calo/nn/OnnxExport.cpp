#include "calo/nn/OnnxExport.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <set>

#include "calo/CaloLayout.hpp"
#include "calo/OnnxGraph.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/GanShowerGenerator.hpp"
#include "common/AtomicFile.hpp"
#include "common/ConfigReader.hpp"
#include "common/Error.hpp"
#include "common/Log.hpp"
#include "common/Manifest.hpp"
#include "common/Version.hpp"

namespace bolo::nn {

namespace fs = std::filesystem;

namespace {

/// The checkpoints of the run's bestiter record; InputError when there is none, because an
/// export hands a model to users: it must be a chosen one, not whatever was saved last.
std::vector<std::string> bestCheckpoints(const fs::path& record, Particle particle) {
  if (!fs::exists(record)) {
    throw InputError(fmt::format(
        "no best-iteration record {}: run 'bolo bestiter {}' first or pass --checkpoint",
        record.string(), particleName(particle)));
  }
  std::vector<std::string> out;
  try {
    const auto json = readJsonFile(record.string());
    for (const auto& [gan, path] : json.at("checkpoints").items())
      out.push_back(path.get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(
        fmt::format("{}: malformed best-iteration record: {}", record.string(), e.what()));
  }
  if (out.empty()) throw InputError(record.string() + ": the record names no checkpoint");
  return out;
}

bool samePath(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

/// The run a checkpoint belongs to when it lies in <workdir>/checkpoints/<run>/<gan>/.
std::optional<std::string> runOfCheckpoint(const WorkDir& dir, const CheckpointInfo& c) {
  const fs::path ganDir = c.sidecar.parent_path();
  if (samePath(ganDir.parent_path().parent_path(), dir.checkpoints()))
    return ganDir.parent_path().filename().string();
  return std::nullopt;
}

/// The checkpoint's score in its run's bestiter report, or null if it was not scored.
nlohmann::json scoreOf(const WorkDir& dir, const std::string& run, const std::string& gan,
                       const CheckpointInfo& c) {
  const fs::path report = bestCheckpointRecord(dir, run).parent_path() / "bestiter.json";
  if (!fs::exists(report)) return nullptr;
  try {
    const auto json = readJsonFile(report.string());
    const auto& scores = json.at("gans").at(gan);
    for (const auto& e : scores.at("evaluations")) {
      if (e.at("iteration").get<long long>() == c.iteration &&
          samePath(e.at("checkpoint").get<std::string>(), c.archive)) {
        const auto best = scores.value("best", nlohmann::json());
        return {{"chi2_ndf", e.at("chi2_ndf")},
                {"ndf", e.value("ndf", 0)},
                {"best", best.is_object() && best.value("iteration", -1LL) == c.iteration},
                {"report", report.string()}};
      }
    }
  } catch (const nlohmann::json::exception& e) {
    log::warn("{}: cannot read the checkpoint scores: {}", report.string(), e.what());
  }
  return nullptr;
}

nlohmann::json geometryJson(const ShowerGeometry& geometry) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : geometry.layers()) {
    layers.push_back({{"id", l.id},
                      {"first_voxel", l.firstVoxel},
                      {"voxels", l.voxelCount()},
                      {"r_edges_mm", l.rEdges},
                      {"alpha_bins", l.alphaBins}});
  }
  return {{"file", fs::path(geometry.source()).filename().string()},
          {"name", geometry.name()},
          {"pid", geometry.pid()},
          {"voxels", geometry.voxelCount()},
          {"voxel_order",
           "layer, then alpha bin, then radial bin (radial fastest), as in the CaloChallenge "
           "files"},
          {"layers", layers}};
}

/// What a user needs beside the model (docs/export.md explains every field).
nlohmann::json describe(const GanShowerGenerator& gen, const GeneratorNetwork& network,
                        const ShowerGeometry& geometry, const nlohmann::json& run,
                        const nlohmann::json& score, const std::string& model) {
  const auto& c = gen.config();
  const auto& p = network.preprocessing;
  std::vector<int> hidden;
  for (std::size_t i = 0; i + 1 < network.layers.size(); ++i)
    hidden.push_back(network.layers[i].outputs);
  nlohmann::json inputs = {
      {kOnnxLatentInput,
       {{"shape", {"N", network.latentSize}}, {"type", "float32"}, {"unit", "none"}}},
      {kOnnxEnergyInput, {{"shape", {"N", 1}}, {"type", "float32"}, {"unit", "MeV"}}}};
  if (network.shapeNoise) {
    inputs[kOnnxNoiseInput] = {{"shape", {"N", geometry.voxelCount()}},
                               {"type", "float32"},
                               {"unit", "none"},
                               {"distribution", "normal"},
                               {"mean", 0.0},
                               {"sd", 1.0}};
  }
  return {{"model", model},
          {"onnx", {{"opset", kOnnxOpset}, {"ir_version", kOnnxIrVersion}}},
          {"inputs", inputs},
          {"outputs",
           {{kOnnxVoxelOutput,
             {{"shape", {"N", geometry.voxelCount()}}, {"type", "float32"}, {"unit", "MeV"}}}}},
          {"particle", gen.particle()},
          {"gan", gen.ganName()},
          {"energy_slice_mev", {{"above", gen.energyLoMeV()}, {"up_to", gen.energyHiMeV()}}},
          {"trained_energy_range_mev", {p.minEnergyMeV, p.maxEnergyMeV}},
          {"latent",
           {{"size", network.latentSize},
            {"distribution", "normal"},
            {"mean", c.latentMean},
            {"sd", c.latentSd}}},
          {"preprocessing", toJson(p)},
          {"generator",
           {{"hidden", hidden},
            {"activation", network.activation},
            {"output", network.output},
            {"layer_shapes", network.layerShapes},
            {"shape_noise", network.shapeNoise},
            {"voxel_threshold_mev", network.voxelThresholdMeV},
            {"weights", c.emaDecay > 0 ? "generator_ema" : "generator"}}},
          {"geometry", geometryJson(geometry)},
          {"training",
           {{"run", run},
            {"gan", gen.ganName()},
            {"iteration", gen.iteration()},
            {"checkpoint", gen.checkpoint().archive.string()},
            {"chi2_ndf", score.is_object() ? score["chi2_ndf"] : nlohmann::json()},
            {"score", score}}},
          {"bolo", {{"version", version()}, {"commit", gitCommit()}}},
          {"created", utcNow()}};
}

/// Files written so far; removed again unless the export completes.
class WrittenFiles {
 public:
  ~WrittenFiles() {
    if (m_done) return;
    for (const auto& f : m_files) {
      std::error_code ec;
      fs::remove(f, ec);
    }
  }
  void write(const fs::path& path, const std::string& content) {
    writeFileAtomically(path, content);
    m_files.push_back(path);
  }
  void done() { m_done = true; }

 private:
  std::vector<fs::path> m_files;
  bool m_done = false;
};

}  // namespace

nlohmann::json exportOnnx(const ExportRequest& o) {
  const Particle particle = parseParticle(o.particle);
  const WorkDir dir = resolveWorkDir(o.workdir);
  const std::string run = defaultRunName(particle, o.run);
  if (o.out.empty()) throw InputError("--out: the directory to write the models to is required");
  const ShowerGeometry geometry = o.geometry.empty() ? ShowerGeometry::forParticle(particle)
                                                     : ShowerGeometry::fromXml(o.geometry);
  std::vector<std::string> paths = o.checkpoints;
  std::string source = "--checkpoint";
  if (paths.empty()) {
    const fs::path record = bestCheckpointRecord(dir, run);
    paths = bestCheckpoints(record, particle);
    source = fmt::format("best iteration from {}", record.string());
  }

  // Build and check every model before writing any, so a bad checkpoint writes nothing.
  struct Model {
    std::string stem;
    std::string bytes;
    nlohmann::json description;
  };
  std::vector<Model> models;
  std::set<std::string> gans;
  for (const auto& path : paths) {
    const CheckpointInfo info = resolveCheckpoint(path);
    const GanShowerGenerator gen(info, "cpu");
    if (gen.particle() != particleName(particle)) {
      throw InputError(fmt::format("{} is a checkpoint of {}, not {}", info.sidecar.string(),
                                   gen.particle().empty() ? "an unknown particle" : gen.particle(),
                                   particleName(particle)));
    }
    if (!gans.insert(gen.ganName()).second) {
      throw InputError(
          fmt::format("two checkpoints of the GAN '{}': give one per GAN", gen.ganName()));
    }
    if (gen.voxels() != geometry.voxelCount()) {
      throw InputError(fmt::format("{} has {} voxels but the geometry {} has {}",
                                   info.sidecar.string(), gen.voxels(), geometry.source(),
                                   geometry.voxelCount()));
    }
    const auto ownRun = runOfCheckpoint(dir, info);
    const std::string scoredRun = ownRun.value_or(run);
    const nlohmann::json runJson =
        ownRun || !o.run.empty() || o.checkpoints.empty() ? nlohmann::json(scoredRun) : nullptr;
    const std::string stem = fmt::format("{}_{}", particleName(particle), gen.ganName());
    const GeneratorNetwork network = gen.network();
    auto description = describe(gen, network, geometry, runJson,
                                scoreOf(dir, scoredRun, gen.ganName(), info), stem + ".onnx");
    const std::map<std::string, std::string> metadata = {
        {"bolo_particle", gen.particle()},
        {"bolo_gan", gen.ganName()},
        {"bolo_iteration", std::to_string(gen.iteration())},
        {"bolo_version", version()},
        {"bolo_commit", gitCommit()},
        {"bolo_description", stem + ".json"}};
    models.push_back({stem, buildOnnxGenerator(network, stem, metadata), std::move(description)});
  }

  const fs::path out(o.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) {
    throw RuntimeFailure(fmt::format("--out {}: cannot create the directory: {}", out.string(),
                                     ec ? ec.message() : "a file is in the way"));
  }
  WrittenFiles written;
  nlohmann::json summary = {{"particle", particleName(particle)},
                            {"out", out.string()},
                            {"checkpoint_source", source},
                            {"opset", kOnnxOpset},
                            {"models", nlohmann::json::array()}};
  for (const auto& m : models) {
    const fs::path model = out / (m.stem + ".onnx");
    const fs::path description = out / (m.stem + ".json");
    written.write(model, m.bytes);
    written.write(description, m.description.dump(2) + "\n");
    log::info("exported {} iteration {} to {}", m.description["gan"].get<std::string>(),
              m.description["training"]["iteration"].get<long long>(), model.string());
    summary["models"].push_back({{"gan", m.description["gan"]},
                                 {"model", model.string()},
                                 {"description", description.string()},
                                 {"iteration", m.description["training"]["iteration"]},
                                 {"chi2_ndf", m.description["training"]["chi2_ndf"]}});
  }
  written.done();
  return summary;
}

}  // namespace bolo::nn
