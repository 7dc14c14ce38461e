#include "calo/nn/GanShowerGenerator.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/torch.h>

#include <cstring>

#include "calo/CheckpointRecord.hpp"
#include "calo/ShowerPreprocessing.hpp"
#include "calo/TrainingConfig.hpp"
#include "calo/nn/GanModel.hpp"
#include "common/Error.hpp"

namespace bolo::nn {

struct GanShowerGenerator::Impl {
  Impl(const CheckpointInfo& checkpoint, const std::string& device)
      : Impl(checkpoint, checkpointModelFromMeta(checkpoint.meta, checkpoint.sidecar.string()),
             device) {}

  Impl(const CheckpointInfo& checkpoint, const CheckpointModel& model, const std::string& device)
      : info(checkpoint),
        config(model.config),
        voxels(model.voxels),
        prep(model.preprocessing),
        dev(device),
        head{config.generatorOutput, model.layerVoxels, config.layerShapes, config.shapeNoise},
        generator(generatorLayerSizes(config, voxels, static_cast<int>(head.layerVoxels.size())),
                  config.activation, head.mlpOutput()),
        lo(model.loMeV),
        hi(model.hiMeV),
        gan(model.gan),
        particle(model.particle) {
    // Only the generator is needed; GanNetworks would also build a critic and optimisers.
    generator->to(dev);
    torch::serialize::InputArchive root, gen;
    try {
      root.load_from(checkpoint.archive.string(), dev);
      // The moving average of the weights when the training kept one: it is the smoother
      // generator, the one bestiter scores and users generate with.
      root.read(config.emaDecay > 0 ? "generator_ema" : "generator", gen);
      generator->load(gen);
    } catch (const c10::Error& e) {
      throw InputError(fmt::format("{}: cannot load generator: {}", checkpoint.archive.string(),
                                   std::string(e.what_without_backtrace()).substr(0, 200)));
    }
    generator->eval();
  }

  Impl(const GanConfig& cfg, int voxelCount, const std::vector<int64_t>& layerVoxels, double loMeV,
       double hiMeV, const std::string& device)
      : config(cfg),
        voxels(voxelCount),
        dev(device),
        head{config.generatorOutput, layerVoxels, config.layerShapes, config.shapeNoise},
        generator(generatorLayerSizes(config, voxels, static_cast<int>(layerVoxels.size())),
                  config.activation, head.mlpOutput()),
        lo(loMeV),
        hi(hiMeV) {
    prep.conditioning = config.conditioning;
    prep.voxelScaling = config.voxelScaling;
    prep.minEnergyMeV = lo;
    prep.maxEnergyMeV = hi;
    generator->to(dev);
    generator->eval();
  }

  CheckpointInfo info;
  GanConfig config;
  int voxels;
  ShowerPreprocessing prep;
  torch::Device dev;
  GeneratorHead head;
  Mlp generator;
  double lo = 0, hi = 0;
  std::string gan, particle;
};

GanShowerGenerator::GanShowerGenerator(const CheckpointInfo& checkpoint,
                                       const std::string& device) {
  try {
    m_impl = std::make_unique<Impl>(checkpoint, device);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(
        fmt::format("{}: incomplete checkpoint record: {}", checkpoint.sidecar.string(), e.what()));
  }
}
GanShowerGenerator::GanShowerGenerator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

GanShowerGenerator GanShowerGenerator::untrained(const GanConfig& config, int voxels,
                                                 const std::vector<int64_t>& layerVoxels,
                                                 double loMeV, double hiMeV,
                                                 const std::string& device,
                                                 unsigned long long seed) {
  torch::manual_seed(seed);
  return GanShowerGenerator(
      std::make_unique<Impl>(config, voxels, layerVoxels, loMeV, hiMeV, device));
}

GanShowerGenerator::~GanShowerGenerator() = default;
GanShowerGenerator::GanShowerGenerator(GanShowerGenerator&&) noexcept = default;
GanShowerGenerator& GanShowerGenerator::operator=(GanShowerGenerator&&) noexcept = default;

std::size_t GanShowerGenerator::voxels() const {
  return static_cast<std::size_t>(m_impl->voxels);
}
long long GanShowerGenerator::iteration() const {
  return m_impl->info.iteration;
}
double GanShowerGenerator::energyLoMeV() const {
  return m_impl->lo;
}
double GanShowerGenerator::energyHiMeV() const {
  return m_impl->hi;
}
const std::string& GanShowerGenerator::ganName() const {
  return m_impl->gan;
}
const std::string& GanShowerGenerator::particle() const {
  return m_impl->particle;
}
const GanConfig& GanShowerGenerator::config() const {
  return m_impl->config;
}
const CheckpointInfo& GanShowerGenerator::checkpoint() const {
  return m_impl->info;
}

GeneratorNetwork GanShowerGenerator::network() const {
  GeneratorNetwork n;
  n.latentSize = m_impl->config.latentSize;
  n.activation = m_impl->config.activation;
  n.output = m_impl->config.generatorOutput;
  n.layerVoxels = m_impl->head.layerVoxels;
  n.layerShapes = m_impl->head.shapes;
  n.shapeNoise = m_impl->head.shapeNoise;
  n.voxelThresholdMeV = m_impl->config.voxelThresholdMeV;
  n.preprocessing = m_impl->prep;
  for (const auto& linear : m_impl->generator->layers()) {
    const auto weight = linear->weight.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    const auto bias = linear->bias.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    DenseLayer layer;
    layer.outputs = static_cast<int>(weight.size(0));
    layer.inputs = static_cast<int>(weight.size(1));
    layer.weight.assign(weight.data_ptr<float>(), weight.data_ptr<float>() + weight.numel());
    layer.bias.assign(bias.data_ptr<float>(), bias.data_ptr<float>() + bias.numel());
    n.layers.push_back(std::move(layer));
  }
  return n;
}

namespace {

/// Rows per network call inside one generate() call: a block's activations stay in the CPU
/// caches, which is faster than one call over 10,000 rows.
constexpr int64_t kRowsPerBlock = 1024;

/// The network input of `n` showers with the latent columns drawn from `seed`; the last column
/// (the condition) is left for the caller. The draw goes into the n x (latent + 1) tensor
/// itself: LibTorch draws a strided view in another order than a contiguous one, so drawing
/// elsewhere would change every generated shower.
torch::Tensor latentInput(const GanConfig& config, int64_t n, unsigned long long seed) {
  auto cpuGenerator = at::detail::createCPUGenerator(seed);
  auto input = torch::empty({n, config.latentSize + 1}, torch::kFloat32);
  input.narrow(1, 0, config.latentSize).normal_(config.latentMean, config.latentSd, cpuGenerator);
  return input;
}

/// The shape noise of generation (GeneratorHead::shapeNoise): N(0,1) per voxel from its own
/// stream of the seed, drawn block by block in row order, so that generate and generateSums
/// give the same showers for one seed. Undefined (unused) without shape noise.
class ShapeNoise {
 public:
  ShapeNoise(const GeneratorHead& head, unsigned long long seed)
      : m_enabled(head.shapeNoise),
        m_generator(at::detail::createCPUGenerator(seed ^ 0x5eed5a9e0f5eed5aULL)) {}
  torch::Tensor next(int64_t rows, int64_t voxels, const torch::Device& device) {
    if (!m_enabled) return {};
    auto noise = torch::empty({rows, voxels}, torch::kFloat32);
    noise.normal_(0.0, 1.0, m_generator);
    return noise.to(device);
  }

 private:
  bool m_enabled;
  at::Generator m_generator;
};

/// Generation's readout threshold (GanConfig::voxelThresholdMeV): voxels under it are set to
/// zero and the rest of their layer is scaled up so that the layer keeps its energy (a
/// layer left without a voxel is empty; its energy, under threshold x voxels, is lost). The
/// cut gives the empty layers and voxels of real showers, the scaling keeps the response and
/// layer energies the networks learned. Without layers the shower is one layer.
class VoxelThreshold {
 public:
  VoxelThreshold(double thresholdMeV, std::vector<int64_t> layerVoxels, int64_t voxels,
                 const torch::Device& device)
      : m_threshold(static_cast<float>(thresholdMeV)) {
    if (m_threshold <= 0) return;
    if (layerVoxels.empty()) layerVoxels = {voxels};
    auto indicator = torch::zeros({voxels, static_cast<int64_t>(layerVoxels.size())});
    int64_t first = 0;
    for (std::size_t k = 0; k < layerVoxels.size(); ++k) {
      indicator.narrow(0, first, layerVoxels[k]).narrow(1, static_cast<int64_t>(k), 1).fill_(1);
      first += layerVoxels[k];
    }
    m_layerOfVoxel = indicator.to(device);
  }
  bool active() const { return m_threshold > 0; }
  /// `showers` in any unit; `mev` the same showers in MeV, on which the cut is decided.
  torch::Tensor operator()(const torch::Tensor& showers, const torch::Tensor& mev) const {
    const auto kept = showers.masked_fill(mev < m_threshold, 0.0f);
    const auto before = torch::mm(showers, m_layerOfVoxel);
    const auto after = torch::mm(kept, m_layerOfVoxel);
    const auto scale =
        torch::where(after > 0, before / after.clamp_min(1e-30f), torch::zeros_like(after));
    return kept * torch::mm(scale, m_layerOfVoxel.t());
  }

 private:
  float m_threshold;
  torch::Tensor m_layerOfVoxel;  ///< voxels x layers, 1 where the voxel lies in the layer
};

}  // namespace

std::vector<float> GanShowerGenerator::latentNumbers(std::size_t n, unsigned long long seed) const {
  c10::InferenceMode inference;
  const auto latent = latentInput(m_impl->config, static_cast<int64_t>(n), seed)
                          .narrow(1, 0, m_impl->config.latentSize)
                          .contiguous();
  return {latent.data_ptr<float>(), latent.data_ptr<float>() + latent.numel()};
}

std::vector<float> GanShowerGenerator::voxelNoise(std::size_t n, unsigned long long seed) const {
  if (!m_impl->head.shapeNoise) return {};
  c10::InferenceMode inference;
  // Block by block, as generate() draws it.
  ShapeNoise noise(m_impl->head, seed);
  std::vector<float> out;
  out.reserve(n * static_cast<std::size_t>(m_impl->voxels));
  const auto rowsInAll = static_cast<int64_t>(n);
  for (int64_t first = 0; first < rowsInAll; first += kRowsPerBlock) {
    const auto block =
        noise.next(std::min(kRowsPerBlock, rowsInAll - first), m_impl->voxels, torch::kCPU);
    out.insert(out.end(), block.data_ptr<float>(), block.data_ptr<float>() + block.numel());
  }
  return out;
}

void GanShowerGenerator::generate(const std::vector<double>& energies, unsigned long long seed,
                                  ShowerBatch& out) {
  if (energies.empty()) return;
  if (out.voxels == 0) out.voxels = voxels();
  if (out.voxels != voxels()) {
    throw InputError(fmt::format("generator has {} voxels, output batch {}", voxels(), out.voxels));
  }
  c10::InferenceMode inference;
  const auto n = static_cast<int64_t>(energies.size());
  const auto v = static_cast<int64_t>(out.voxels);
  auto input = latentInput(m_impl->config, n, seed);
  auto inverse = torch::empty({n, 1}, torch::kFloat32);
  auto* in = input.data_ptr<float>();
  for (int64_t i = 0; i < n; ++i) {
    const double e = energies[static_cast<std::size_t>(i)];
    in[i * (m_impl->config.latentSize + 1) + m_impl->config.latentSize] =
        static_cast<float>(m_impl->prep.condition(e));
    inverse.data_ptr<float>()[i] = static_cast<float>(1.0 / m_impl->prep.targetScale(e));
  }
  const std::size_t firstValue = out.showers.size();
  out.showers.resize(firstValue + energies.size() * out.voxels);
  auto target = torch::from_blob(out.showers.data() + firstValue, {n, v}, torch::kFloat32);
  const bool onCpu = m_impl->dev.is_cpu();
  const VoxelThreshold threshold(m_impl->config.voxelThresholdMeV, m_impl->head.layerVoxels, v,
                                 torch::kCPU);
  ShapeNoise noise(m_impl->head, seed);
  for (int64_t first = 0; first < n; first += kRowsPerBlock) {
    const int64_t rows = std::min(kRowsPerBlock, n - first);
    auto block = m_impl->head(
        m_impl->generator->forwardInference(input.narrow(0, first, rows).to(m_impl->dev)),
        noise.next(rows, v, m_impl->dev));
    auto scale = inverse.narrow(0, first, rows);
    auto destination = target.narrow(0, first, rows);
    if (onCpu)
      torch::mul_out(destination, block, scale);  // MeV, written in place
    else
      destination.copy_(block.mul_(scale.to(m_impl->dev)).to(torch::kCPU));
    if (threshold.active()) destination.copy_(threshold(destination, destination));
  }
  out.incidentEnergies.insert(out.incidentEnergies.end(), energies.begin(), energies.end());
}

std::vector<double> GanShowerGenerator::generateSums(
    const std::vector<double>& energies, unsigned long long seed,
    const std::vector<std::pair<std::size_t, std::size_t>>& ranges) {
  c10::InferenceMode inference;
  const auto n = static_cast<int64_t>(energies.size());
  const int64_t latent = m_impl->config.latentSize;
  auto input = latentInput(m_impl->config, n, seed);
  auto inverse = torch::empty({n, 1}, torch::kFloat64);
  // generate()'s float factor to MeV, so that the threshold zeroes exactly its voxels.
  auto inverseFloat = torch::empty({n, 1}, torch::kFloat32);
  for (int64_t i = 0; i < n; ++i) {
    const double e = energies[static_cast<std::size_t>(i)];
    input.data_ptr<float>()[i * (latent + 1) + latent] =
        static_cast<float>(m_impl->prep.condition(e));
    inverse.data_ptr<double>()[i] = 1.0 / m_impl->prep.targetScale(e);
    inverseFloat.data_ptr<float>()[i] = static_cast<float>(inverse.data_ptr<double>()[i]);
  }
  const VoxelThreshold threshold(m_impl->config.voxelThresholdMeV, m_impl->head.layerVoxels,
                                 m_impl->voxels, m_impl->dev);
  std::vector<torch::Tensor> blocks;
  ShapeNoise noise(m_impl->head, seed);
  for (int64_t first = 0; first < n; first += kRowsPerBlock) {
    const int64_t rows = std::min(kRowsPerBlock, n - first);
    auto showers = m_impl->head(
        m_impl->generator->forwardInference(input.narrow(0, first, rows).to(m_impl->dev)),
        noise.next(rows, m_impl->voxels, m_impl->dev));
    if (threshold.active())
      showers = threshold(showers, showers * inverseFloat.narrow(0, first, rows).to(m_impl->dev));
    std::vector<torch::Tensor> sums;
    for (const auto& [begin, end] : ranges) {
      sums.push_back(
          showers.narrow(1, static_cast<int64_t>(begin), static_cast<int64_t>(end - begin))
              .sum(1, true, torch::kFloat64));
    }
    blocks.push_back(torch::cat(sums, 1).to(torch::kCPU));
  }
  const auto table = (torch::cat(blocks, 0) * inverse).contiguous();
  return {table.data_ptr<double>(), table.data_ptr<double>() + table.numel()};
}

GanEnsemble::GanEnsemble(const std::vector<CheckpointInfo>& checkpoints,
                         const std::string& device) {
  if (checkpoints.empty()) throw InputError("no checkpoint to generate from");
  for (const auto& c : checkpoints) m_members.emplace_back(c, device);
  for (const auto& m : m_members) {
    if (m.voxels() != m_members.front().voxels()) {
      throw InputError(
          "the checkpoints disagree on the voxel count: they belong to different geometries");
    }
  }
}

std::size_t GanEnsemble::voxels() const {
  return m_members.front().voxels();
}
const std::string& GanEnsemble::particle() const {
  return m_members.front().particle();
}

ShowerBatch GanEnsemble::generate(const std::vector<double>& energies, unsigned long long seed,
                                  std::size_t batchSize) {
  ShowerBatch out;
  out.voxels = voxels();
  out.showers.reserve(energies.size() * out.voxels);
  out.incidentEnergies.reserve(energies.size());
  std::size_t chunkIndex = 0;
  for (std::size_t first = 0; first < energies.size(); first += batchSize, ++chunkIndex) {
    const std::size_t last = std::min(energies.size(), first + batchSize);
    // Consecutive energies with the same GAN go together; order is preserved.
    std::size_t i = first;
    while (i < last) {
      GanShowerGenerator* member = nullptr;
      for (auto& m : m_members) {
        if (energies[i] > m.energyLoMeV() && energies[i] <= m.energyHiMeV()) member = &m;
      }
      if (!member) {
        throw InputError(fmt::format(
            "incident energy {} MeV is outside the range of every checkpoint given", energies[i]));
      }
      std::size_t j = i;
      while (j < last && energies[j] > member->energyLoMeV() &&
             energies[j] <= member->energyHiMeV())
        ++j;
      const std::vector<double> part(energies.begin() + static_cast<std::ptrdiff_t>(i),
                                     energies.begin() + static_cast<std::ptrdiff_t>(j));
      member->generate(part, seed + 1000003ULL * chunkIndex + i, out);
      i = j;
    }
  }
  return out;
}

}  // namespace bolo::nn
