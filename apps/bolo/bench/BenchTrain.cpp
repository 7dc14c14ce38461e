// bolo bench train: generator steps per second of the default pions and photons GANs at
// several batch sizes, side by side with the same network trained by plain PyTorch in Python
// (the peer script wgan_gp_peer.py), same BLAS, same thread count. The peer runs twice: as
// its users run it (--threads N: LibTorch's pool and OpenBLAS's both get N), and with
// --threads 1, which leaves the cores to OpenBLAS as bolo does (common/nn/TorchRuntime.cpp), so the
// report separates bolo's thread set-up from its arithmetic.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "apps/bolo/SharedOptions.hpp"
#include "apps/bolo/Verbs.hpp"
#include "apps/bolo/bench/BenchSupport.hpp"
#include "calo/CaloLayout.hpp"
#include "calo/ShowerGeometry.hpp"
#include "calo/nn/GanTraining.hpp"
#include "common/Error.hpp"
#include "common/JsonParse.hpp"
#include "common/Log.hpp"
#include "common/Subprocess.hpp"
#include "common/Version.hpp"
#include "common/nn/TorchRuntime.hpp"

namespace bolo::app {

namespace fs = std::filesystem;

namespace {

struct BenchTrainOptions {
  BenchOutput output;
  std::vector<std::string> particles{"pions", "photons"};
  std::vector<int> batches{128, 512, 1024};
  int steps = 10;
  int warmup = 2;
  int threads = 0;
  std::string device = "cpu";
  std::string peer;
  std::string python = "/usr/bin/python3";
  bool noPeer = false;
  bool withAutograd = false;
};

/// The peer script: --peer, else the one Bolo ships (bench/peers/, installed to
/// share/bolo/peers; see peerDirectory()).
fs::path locatePeer(const std::string& option) {
  if (!option.empty()) return option;
  return fs::path(peerDirectory()) / "wgan_gp_peer.py";
}

/// Why the peer cannot run at all (checked once, before any timing), or "" when it can.
std::string peerProblem(const BenchTrainOptions& o, const fs::path& peer) {
  if (o.noPeer) return "--no-peer";
  std::error_code ec;
  if (!fs::exists(peer, ec))
    return fmt::format("peer script {} not found (use --peer FILE)", peer.string());
  if (!programOnPath(o.python) && !fs::exists(o.python, ec))
    return fmt::format("python interpreter {} not found (use --python)", o.python);
  const auto probe = runProcess({o.python, "-c", "import torch"});
  if (probe.exitCode != 0) {
    return fmt::format("{} cannot import torch ({}; Debian: python3-torch)", o.python,
                       probe.firstErrorLine());
  }
  return {};
}

std::string joinSizes(const std::vector<int>& sizes) {
  return fmt::format("{}", fmt::join(sizes, ","));
}

nlohmann::json runPeer(const BenchTrainOptions& o, const fs::path& peer, const GanConfig& c,
                       int voxels, int threads) {
  // Only called once peerProblem() found nothing in the way.
  const auto result = runProcess({o.python,          peer.string(),
                                  "--voxels",        std::to_string(voxels),
                                  "--latent",        std::to_string(c.latentSize),
                                  "--hidden",        joinSizes(c.generatorHidden),
                                  "--critic-hidden", joinSizes(c.criticHidden),
                                  "--critic-steps",  std::to_string(c.criticSteps),
                                  "--activation",    c.activation,
                                  "--batch",         std::to_string(c.batchSize),
                                  "--steps",         std::to_string(o.steps),
                                  "--warmup",        std::to_string(o.warmup),
                                  "--threads",       std::to_string(threads),
                                  "--device",        o.device});
  if (result.exitCode != 0)
    return {{"skipped", fmt::format("peer failed: {}", result.firstErrorLine())}};
  try {
    auto json = parseJson(result.out, "peer output");
    if (json.is_object() && json.contains("generator_steps_per_s") &&
        json["generator_steps_per_s"].is_number() &&
        json["generator_steps_per_s"].get<double>() > 0) {
      return json;
    }
  } catch (const std::exception&) {
  }
  return {{"skipped", "peer printed no generator_steps_per_s"}};
}

void runBenchTrain(const BenchTrainOptions& o) {
  const auto device = nn::resolveDevice(o.device);
  const auto cpuThreads = nn::configureCpuThreads(o.threads);
  const int threads = cpuThreads.matrix;
  const fs::path peer = locatePeer(o.peer);
  // Said before the minutes of timing, not discovered in the report afterwards.
  const std::string peerBlocked = peerProblem(o, peer);
  if (!peerBlocked.empty() && !o.noPeer) {
    log::warn("bench train: peer not run: {}; the report will have no bolo/peer ratio",
              peerBlocked);
  }
  std::string peerNotRun = peerBlocked;  // or the first failure of a peer run
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& name : o.particles) {
    const Particle particle = parseParticle(name);
    const auto geometry = ShowerGeometry::forParticle(particle);
    const int voxels = static_cast<int>(geometry.voxelCount());
    const auto layers = geometry.layerVoxelCounts();
    const auto positions = geometry.voxelPositions();
    for (int batch : o.batches) {
      GanConfig config = defaultGanConfig(particle);
      config.batchSize = batch;
      log::info("bench train: {} batch {} ({} steps)", name, batch, o.steps);
      const auto speed = nn::measureGanTrainingSpeed(config, voxels, layers, device.device,
                                                     o.warmup, o.steps, 1, positions);
      nlohmann::json autograd;
      if (o.withAutograd) {
        GanConfig viaAutograd = config;
        viaAutograd.criticGradient = "autograd";
        autograd = nn::measureGanTrainingSpeed(viaAutograd, voxels, layers, device.device, o.warmup,
                                               o.steps, 1, positions)
                       .generatorStepsPerSecond;
      }
      const nlohmann::json blocked = {{"skipped", peerBlocked}};
      const auto peerResult =
          peerBlocked.empty() ? runPeer(o, peer, config, voxels, threads) : blocked;
      const auto tunedPeer =
          threads > 1 && peerBlocked.empty() ? runPeer(o, peer, config, voxels, 1) : peerResult;
      nlohmann::json row = {
          {"particle", name},
          {"voxels", voxels},
          {"batch", batch},
          {"generator_layers",
           generatorLayerSizes(config, voxels, static_cast<int>(layers.size()))},
          {"critic_layers", criticLayerSizes(config, voxels, static_cast<int>(layers.size()))},
          {"activation", config.activation},
          {"critic_steps", config.criticSteps},
          {"generator_parameters", speed.generatorParameters},
          {"critic_parameters", speed.criticParameters},
          {"steps", speed.steps},
          {"critic_gradient", config.criticGradient},
          {"bolo_generator_steps_per_s", speed.generatorStepsPerSecond},
          {"bolo_autograd_generator_steps_per_s", autograd},
          {"peer", peerResult},
          {"peer_torch_threads_1", tunedPeer}};
      if (peerResult.contains("generator_steps_per_s")) {
        const double peerRate = peerResult["generator_steps_per_s"].get<double>();
        row["peer_generator_steps_per_s"] = peerRate;
        row["speedup_vs_peer"] = speed.generatorStepsPerSecond / peerRate;
        log::info("  bolo {:.3f} steps/s, peer {:.3f} steps/s: {:.2f}x",
                  speed.generatorStepsPerSecond, peerRate,
                  speed.generatorStepsPerSecond / peerRate);
        if (tunedPeer.contains("generator_steps_per_s")) {
          const double tunedRate = tunedPeer["generator_steps_per_s"].get<double>();
          row["speedup_vs_peer_torch_threads_1"] = speed.generatorStepsPerSecond / tunedRate;
          log::info("  peer with --threads 1 {:.3f} steps/s: {:.2f}x", tunedRate,
                    speed.generatorStepsPerSecond / tunedRate);
        }
      } else {
        const std::string reason = peerResult.value("skipped", "unknown reason");
        if (!o.noPeer) log::warn("  peer not run: {}", reason);
        if (peerNotRun.empty()) peerNotRun = reason;
        log::info("  bolo {:.3f} steps/s", speed.generatorStepsPerSecond);
      }
      rows.push_back(row);
    }
  }
  reportBenchmark(o.output, "train",
                  {{"device", device.device},
                   {"threads", threads},
                   {"torch_intra_op_threads", cpuThreads.elementwise},
                   {"libtorch", nn::torchVersion()},
                   {"peer_script", peer.string()},
                   {"peer", {{"ran", peerNotRun.empty()}, {"reason", peerNotRun}}},
                   {"runs", rows}});
  // The ratio is the point of this benchmark: without it, fail loudly (after the report),
  // unless --no-peer asked for bolo alone. A missing peer or Python is a missing tool.
  if (!peerNotRun.empty() && !o.noPeer) {
    throw EnvironmentError(
        fmt::format("bench train: peer not run: {} (report written; --no-peer measures bolo "
                    "alone)",
                    peerNotRun));
  }
}

}  // namespace

void setupBenchTrain(CLI::App& bench) {
  auto o = std::make_shared<BenchTrainOptions>();
  auto* sub =
      bench.add_subcommand("train", "GAN training speed (generator steps/s) against plain PyTorch");
  addBenchOutputOption(sub, o->output);
  sub->add_option("--particles", o->particles, "pions and/or photons")->delimiter(',');
  sub->add_option("--batches", o->batches, "Batch sizes (default 128,512,1024)")
      ->delimiter(',')
      ->check(positiveInteger<int>());
  sub->add_option("--steps", o->steps, "Timed generator steps per configuration (default 10)")
      ->check(positiveInteger<int>());
  sub->add_option("--warmup", o->warmup, "Untimed steps first (default 2)")
      ->check(nonNegativeInteger<int>());
  addThreadsOption(sub, o->threads, "CPU threads for bolo and the peer (default: all cores)");
  sub->add_option("--device", o->device, "cpu, cuda, cuda:N (default cpu)");
  sub->add_option("--peer", o->peer,
                  "Path of wgan_gp_peer.py (default: the one Bolo ships, share/bolo/peers)");
  sub->add_option("--python", o->python,
                  "Python with torch for the peer (default /usr/bin/python3)");
  sub->add_flag("--no-peer", o->noPeer, "Measure bolo only");
  sub->add_flag("--with-autograd", o->withAutograd,
                "Also measure bolo with the autograd critic gradient");
  sub->callback([o] { runBenchTrain(*o); });
}

}  // namespace bolo::app
