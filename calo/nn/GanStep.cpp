#include "calo/nn/GanStep.hpp"

#include <algorithm>
#include <map>

#include "common/Error.hpp"

namespace bolo::nn {

std::vector<torch::Tensor> groupByCondition(const torch::Tensor& conditions) {
  const auto values = conditions.to(torch::kCPU).contiguous();
  const float* c = values.data_ptr<float>();
  std::map<float, std::vector<int64_t>> byValue;
  for (int64_t i = 0; i < values.size(0); ++i) byValue[c[i]].push_back(i);
  std::vector<std::vector<int64_t>> groups;
  constexpr std::size_t kMaxPoints = 100, kBins = 20;
  if (byValue.size() <= kMaxPoints) {
    for (auto& [value, rows] : byValue) groups.push_back(std::move(rows));
  } else {
    const auto perBin = static_cast<std::size_t>(values.size(0)) / kBins + 1;
    groups.emplace_back();
    for (auto& [value, rows] : byValue) {
      if (groups.back().size() >= perBin) groups.emplace_back();
      groups.back().insert(groups.back().end(), rows.begin(), rows.end());
    }
  }
  std::vector<torch::Tensor> out;
  for (const auto& rows : groups) {
    out.push_back(torch::tensor(rows, torch::kLong).to(conditions.device()));
  }
  return out;
}

namespace {

/// |a_i - b_j| for every row pair of each group (a: groups x n x F, b: groups x m x F), one
/// column per feature block: groups x n x m x blocks. A block of one feature is its absolute
/// difference; a wider one the Euclidean norm over its features (the 1e-12 keeps the
/// gradient of the norm finite where two rows coincide, as on the diagonal of a x a).
torch::Tensor blockDistances(const torch::Tensor& a, const torch::Tensor& b,
                             const std::vector<int64_t>& blockWidths) {
  const auto difference = a.unsqueeze(2) - b.unsqueeze(1);
  if (blockWidths.empty()) return difference.abs();
  std::vector<torch::Tensor> norms;
  int64_t first = 0;
  for (const auto width : blockWidths) {
    const auto block = difference.narrow(3, first, width);
    norms.push_back(width == 1 ? block.abs().squeeze(3) : (block.square().sum(3) + 1e-12).sqrt());
    first += width;
  }
  return torch::stack(norms, 3);
}

}  // namespace

torch::Tensor halfMeanPairDistance(const torch::Tensor& reference,
                                   const std::vector<int64_t>& blockWidths) {
  torch::NoGradGuard noGrad;
  const int64_t rows = reference.size(1);
  // One group at a time: R x R x F floats, not groups times that.
  std::vector<torch::Tensor> spreads;
  for (const auto& r : reference.unbind(0)) {
    const auto group = r.unsqueeze(0);
    spreads.push_back(0.5 *
                      blockDistances(group, group, blockWidths).sum(torch::IntArrayRef{0, 1, 2}) /
                      static_cast<double>(rows * std::max<int64_t>(rows - 1, 1)));
  }
  return torch::stack(spreads);
}

torch::Tensor relativePointSpreads(const std::vector<torch::Tensor>& featuresByGroup) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> spreads;
  for (const auto& features : featuresByGroup) spreads.push_back(features.std(0, true, false));
  const auto spread = torch::stack(spreads);  // groups x F
  // Relative to the mean over groups, so the overall weight of the term stays about what it
  // was; a feature (nearly) constant at a point (an empty layer at low energy) is not blown
  // up beyond ten times the weight of an average point.
  const auto relative = spread / spread.mean(0, true).clamp_min(1e-12);
  return relative.clamp_min(0.1).unsqueeze(1);
}

torch::Tensor energyDistance(const torch::Tensor& generated, const torch::Tensor& reference,
                             const torch::Tensor& referenceHalfSpread,
                             const std::vector<int64_t>& blockWidths) {
  const int64_t n = generated.size(1);
  // E|G - R| over every generated-reference pair; E|G - G'| over distinct generated pairs
  // (the diagonal is zero, so the sum over all pairs divided by n (n - 1) is the U-statistic;
  // with wider blocks it is 1e-6 per row, a constant without gradient).
  const auto cross =
      blockDistances(generated, reference, blockWidths).mean(torch::IntArrayRef{1, 2});
  const auto self =
      blockDistances(generated, generated, blockWidths).sum(torch::IntArrayRef{1, 2}) /
      static_cast<double>(n * (n - 1));
  return (cross - 0.5 * self - referenceHalfSpread).mean();
}

ShapeFeatures::ShapeFeatures(const std::vector<int64_t>& layerVoxels,
                             const ShowerGeometry::VoxelPositions& positions,
                             const torch::Tensor& sample) {
  const auto voxels = sample.size(1);
  if (static_cast<int64_t>(positions.x.size()) != voxels ||
      positions.layerHasAngles.size() != layerVoxels.size())
    throw InputError("matching_shapes needs the voxel positions of the training geometry");
  std::vector<int64_t> firsts, counts;
  int64_t offset = 0;
  for (std::size_t k = 0; k < layerVoxels.size(); ++k) {
    if (positions.layerHasAngles[k]) {
      firsts.push_back(offset);
      counts.push_back(layerVoxels[k]);
    }
    offset += layerVoxels[k];
  }
  const auto layers = static_cast<int64_t>(firsts.size());
  const auto cpu = torch::TensorOptions().dtype(torch::kFloat64);
  auto e = torch::zeros({voxels, 2 * layers}, cpu), m1 = torch::zeros_like(e),
       m2 = torch::zeros_like(e);
  for (int64_t k = 0; k < layers; ++k) {
    for (int64_t v = firsts[static_cast<std::size_t>(k)];
         v < firsts[static_cast<std::size_t>(k)] + counts[static_cast<std::size_t>(k)]; ++v) {
      const double px = positions.x[static_cast<std::size_t>(v)];
      const double py = positions.y[static_cast<std::size_t>(v)];
      e[v][k] = 1.0;
      e[v][layers + k] = 1.0;
      m1[v][k] = px;
      m1[v][layers + k] = py;
      m2[v][k] = px * px;
      m2[v][layers + k] = py * py;
    }
  }
  energy = e.to(sample.options());
  first = m1.to(sample.options());
  second = m2.to(sample.options());
  torch::NoGradGuard noGrad;
  const auto values = unstandardised(sample);
  mean = values.mean(0, true);
  // Centres and widths are in mm: a spread under 0.1 mm (far finer than any cell) is a sample
  // of identical shapes, whose rounding noise must not become the unit of the distance.
  std = values.std(0, true, true).clamp_min(0.1);
}

torch::Tensor ShapeFeatures::unstandardised(const torch::Tensor& x) const {
  // Layers below 1e-6 of the target scale (an empty layer) do not divide by ~0.
  const auto e = torch::mm(x, energy).clamp_min(1e-6);
  const auto centre = torch::mm(x, first) / e;
  const auto variance = torch::mm(x, second) / e - centre * centre;
  // The clamp keeps rounding from a negative variance; the 1e-8 keeps sqrt's gradient finite.
  const auto width = (variance.clamp_min(0) + 1e-8).sqrt();
  return torch::cat({centre, width}, 1);
}

torch::Tensor ShapeFeatures::operator()(const torch::Tensor& x) const {
  return (unstandardised(x) - mean) / std;
}

torch::Tensor GanStepper::matchedFeatures(const torch::Tensor& x) const {
  if (!m_shapeFeatures.defined()) return m_matchingFeatures(x);
  return torch::cat({m_matchingFeatures(x), m_shapeFeatures(x)}, 1);
}

GanStepper::GanStepper(GanNetworks& nets, torch::Tensor targets, torch::Tensor conditions,
                       const ShowerGeometry::VoxelPositions& positions)
    : m_nets(nets),
      m_targets(std::move(targets)),
      m_conditions(std::move(conditions)),
      m_criticInput(nets.config, nets.layerVoxels, m_targets),
      m_batch(nets.config.batchSize),
      m_analytic(nets.config.criticGradient == "analytic") {
  if (nets.config.marginalMatching > 0) {
    m_matchingFeatures =
        PhysicsFeatures(nets.layerVoxels, m_targets, nets.config.matchingEnergies == "log");
    if (nets.config.matchingShapes)
      m_shapeFeatures = ShapeFeatures(nets.layerVoxels, positions, m_targets);
    m_energyGroups = groupByCondition(m_conditions);
    if (nets.config.matchingScale == "per_point") m_pointScale = pointScales();
    if (nets.config.matchingNorm == "joint") {
      m_blockWidths.push_back(m_matchingFeatures.count());
      if (m_shapeFeatures.defined()) {
        // Centres in x and y of every angular layer, then their widths (ShapeFeatures order).
        const int64_t half = m_shapeFeatures.energy.size(1);
        m_blockWidths.insert(m_blockWidths.end(), {half, half});
      }
    }
    if (nets.config.matchingDistance == "energy") {
      // Evenly spaced rows of each group (no random numbers: the training's random stream
      // stays what it is without this option), as many from every group.
      constexpr int64_t kMaxReference = 1024;
      int64_t rows = kMaxReference;
      for (const auto& g : m_energyGroups) rows = std::min(rows, g.size(0));
      std::vector<torch::Tensor> references;
      for (const auto& g : m_energyGroups) {
        const auto pick = torch::linspace(0, static_cast<double>(g.size(0) - 1), rows,
                                          torch::TensorOptions().dtype(torch::kDouble))
                              .round()
                              .to(torch::kLong)
                              .to(g.device());
        references.push_back(matchedFeatures(m_targets.index_select(0, g.index_select(0, pick))));
      }
      m_matchingReference = pointScaled(torch::stack(references)).detach();  // groups x R x F
      m_referenceHalfSpread = halfMeanPairDistance(m_matchingReference, m_blockWidths);
    }
  }
}

torch::Tensor GanStepper::marginalMatchingLoss() {
  const int64_t perPoint = m_nets.config.matchingShowersPerPoint;
  const auto groups = static_cast<int64_t>(m_energyGroups.size());
  const auto longOptions = torch::TensorOptions().dtype(torch::kLong).device(m_nets.device);
  std::vector<torch::Tensor> picks;
  picks.reserve(m_energyGroups.size());
  for (const auto& g : m_energyGroups)
    picks.push_back(g.index_select(0, torch::randint(g.size(0), {perPoint}, longOptions)));
  const auto index = torch::cat(picks);
  const auto cond = m_conditions.index_select(0, index);
  const auto z = sampleLatent(m_nets.config, index.size(0), m_targets.options());
  const auto fake = m_nets.head(m_nets.generator->forward(torch::cat({z, cond}, 1)));
  const auto matchedFake = matchedFeatures(fake);
  const int64_t features = matchedFake.size(1);
  const auto generated = pointScaled(matchedFake.view({groups, perPoint, features}));
  if (m_matchingReference.defined())
    return energyDistance(generated, m_matchingReference, m_referenceHalfSpread, m_blockWidths);
  // Sorted samples of one point give the 1-D Wasserstein-1 distance of its marginals.
  const auto real = pointScaled(
      matchedFeatures(m_targets.index_select(0, index)).view({groups, perPoint, features}));
  return (std::get<0>(generated.sort(1)) - std::get<0>(real.sort(1))).abs().mean();
}

torch::Tensor GanStepper::pointScales() const {
  std::vector<torch::Tensor> byGroup;
  for (const auto& g : m_energyGroups)
    byGroup.push_back(matchedFeatures(m_targets.index_select(0, g)));
  return relativePointSpreads(byGroup);
}

torch::Tensor GanStepper::pointScaled(const torch::Tensor& features) const {
  return m_pointScale.defined() ? features / m_pointScale : features;
}

torch::Tensor GanStepper::sampleIndex() {
  return torch::randint(m_targets.size(0), {m_batch},
                        torch::TensorOptions().dtype(torch::kLong).device(m_nets.device));
}

GanStepLosses criticGradientsAutograd(GanNetworks& nets, const torch::Tensor& real,
                                      const torch::Tensor& fake, const torch::Tensor& eps,
                                      const torch::Tensor& cond) {
  const int64_t batch = real.size(0);
  auto mix = (eps * real + (1 - eps) * fake).requires_grad_(true);
  // One critic pass over [real; fake; mix] instead of three: larger, faster matrix products.
  const auto scores =
      nets.critic->forward(torch::cat({torch::cat({real, fake, mix}, 0), cond.repeat({3, 1})}, 1));
  const auto parts = scores.split(batch, 0);
  const auto grad = torch::autograd::grad({parts[2].sum()}, {mix}, {}, true, true)[0];
  GanStepLosses losses;
  losses.gradientPenalty = (grad.norm(2, 1) - 1).pow(2).mean();
  losses.wasserstein = parts[0].mean() - parts[1].mean();
  losses.criticLoss = -losses.wasserstein + nets.config.gradientPenalty * losses.gradientPenalty;
  nets.criticOptimizer->zero_grad();
  losses.criticLoss.backward();
  return losses;
}

namespace {

/// h = act(a), d1 = act'(a) for all rows, d2 = act''(a) for rows [from, from + n) (empty
/// when act'' vanishes).
void activationWithDerivatives(const std::string& name, const torch::Tensor& a, int64_t from,
                               int64_t n, torch::Tensor& h, torch::Tensor& d1, torch::Tensor& d2) {
  if (name == "silu") {
    // With s = sigmoid(a) and p = s (1 - s): h = a s, act' = s + a p, act'' = p (2 + a - 2 h).
    // Written with in-place steps: these tensors are 3 x batch rows wide, and on the CPU the
    // passes over memory, not the arithmetic, are what they cost.
    const auto s = torch::sigmoid(a);
    h = a * s;
    auto p = torch::rsub(s, 1);
    p.mul_(s);
    d1 = torch::addcmul(s, a, p);
    d2 = torch::sub(a.narrow(0, from, n), h.narrow(0, from, n), 2);
    d2.add_(2).mul_(p.narrow(0, from, n));
  } else if (name == "tanh") {
    h = torch::tanh(a);
    d1 = 1 - h * h;
    d2 = -2 * h.narrow(0, from, n) * d1.narrow(0, from, n);
  } else if (name == "relu") {
    h = torch::relu(a);
    d1 = (a > 0).to(a.scalar_type());
    d2 = torch::Tensor();
  } else if (name == "leaky_relu") {
    h = torch::leaky_relu(a, 0.2);
    d1 = torch::where(a > 0, torch::ones_like(a), torch::full_like(a, 0.2));
    d2 = torch::Tensor();
  } else {
    throw std::invalid_argument("unknown activation " + name);
  }
}

}  // namespace

GanStepLosses criticGradientsAnalytic(GanNetworks& nets, const torch::Tensor& real,
                                      const torch::Tensor& fake, const torch::Tensor& eps,
                                      const torch::Tensor& cond) {
  torch::NoGradGuard noGrad;
  const int64_t B = real.size(0), V = real.size(1);
  const auto& layers = nets.critic->layers();
  const std::size_t L = layers.size();
  const std::string& act = nets.critic->activation();
  // The critic's input [real | cond; fake | cond; mix | cond], mix = eps real + (1 - eps) fake,
  // assembled in place: one pass over memory instead of three.
  const int64_t C = cond.size(1);
  auto x = torch::empty({3 * B, V + C}, real.options());
  x.narrow(0, 0, B).narrow(1, 0, V).copy_(real);
  x.narrow(0, B, B).narrow(1, 0, V).copy_(fake);
  auto mixRows = x.narrow(0, 2 * B, B).narrow(1, 0, V);
  torch::lerp_out(mixRows, fake, real, eps);
  for (int64_t part = 0; part < 3; ++part) x.narrow(0, part * B, B).narrow(1, V, C).copy_(cond);

  // Forward over [real; fake; mix]: h[k] is the input of layer k.
  std::vector<torch::Tensor> h(L), d1(L), d2(L);
  h[0] = x;
  for (std::size_t k = 0; k + 1 < L; ++k) {
    const auto a = torch::addmm(layers[k]->bias, h[k], layers[k]->weight.t());
    activationWithDerivatives(act, a, 2 * B, B, h[k + 1], d1[k + 1], d2[k + 1]);
  }
  const auto scores = torch::addmm(layers[L - 1]->bias, h[L - 1], layers[L - 1]->weight.t());

  // Input gradient of the critic at the mix rows: delta[k] = d critic / d a_{k-1} (k >= 1).
  std::vector<torch::Tensor> u(L), delta(L), d1m(L);
  for (std::size_t k = 1; k < L; ++k) d1m[k] = d1[k].narrow(0, 2 * B, B);
  u[L - 1] = layers[L - 1]->weight.expand({B, layers[L - 1]->weight.size(1)});
  delta[L - 1] = d1m[L - 1] * u[L - 1];
  for (std::size_t k = L - 2; k >= 1; --k) {
    u[k] = torch::mm(delta[k + 1], layers[k]->weight);
    delta[k] = d1m[k] * u[k];
  }
  const auto weight0 = layers[0]->weight.narrow(1, 0, V);
  const auto g = torch::mm(delta[1], weight0);
  const auto norm = g.norm(2, 1, true);
  GanStepLosses losses;
  losses.gradientPenalty = (norm - 1).pow(2).mean();
  const double lambda = nets.config.gradientPenalty;
  const auto gBar =
      g * ((2.0 * lambda / static_cast<double>(B)) * (norm - 1) / norm.clamp_min(1e-12));

  std::vector<torch::Tensor> gradW(L), gradB(L), aBar(L);
  gradW[0] = torch::zeros_like(layers[0]->weight);
  gradW[0].narrow(1, 0, V).copy_(torch::mm(delta[1].t(), gBar));
  // Reverse pass through the input-gradient computation.
  auto deltaBar = torch::mm(gBar, weight0.t());
  for (std::size_t k = 1; k < L; ++k) {
    if (d2[k].defined()) aBar[k] = torch::mul(deltaBar, d2[k]).mul_(u[k]);
    const auto uBar = deltaBar * d1m[k];
    if (k + 1 < L) {
      gradW[k] = torch::mm(delta[k + 1].t(), uBar);
      deltaBar = torch::mm(uBar, layers[k]->weight.t());
    } else {
      gradW[k] = uBar.sum(0, true);
    }
  }

  // Backward of -W: d loss / d score = -1/B (real), +1/B (fake), 0 (mix); the mix rows pick
  // up the penalty's contributions aBar on the way down.
  const auto options = scores.options();
  auto e = torch::cat(
      {torch::full({B, 1}, -1.0 / static_cast<double>(B), options),
       torch::full({B, 1}, 1.0 / static_cast<double>(B), options), torch::zeros({B, 1}, options)},
      0);
  losses.wasserstein = scores.narrow(0, 0, B).mean() - scores.narrow(0, B, B).mean();
  losses.criticLoss = -losses.wasserstein + lambda * losses.gradientPenalty;
  gradW[L - 1].add_(torch::mm(e.t(), h[L - 1]));
  gradB[L - 1] = e.sum(0);
  auto upstream = torch::mm(e, layers[L - 1]->weight);
  for (std::size_t k = L - 1; k >= 1; --k) {
    auto ek = upstream * d1[k];
    if (aBar[k].defined()) ek.narrow(0, 2 * B, B).add_(aBar[k]);
    gradW[k - 1].add_(torch::mm(ek.t(), h[k - 1]));
    gradB[k - 1] = ek.sum(0);
    if (k > 1) upstream = torch::mm(ek, layers[k - 1]->weight);
  }
  for (std::size_t k = 0; k < L; ++k) {
    layers[k]->weight.mutable_grad() = gradW[k];
    layers[k]->bias.mutable_grad() = gradB[k];
  }
  return losses;
}

GanStepLosses GanStepper::criticStep() {
  const auto options = m_targets.options();
  const auto index = sampleIndex();
  const auto real = m_criticInput(m_targets.index_select(0, index));
  const auto cond = m_conditions.index_select(0, index);
  torch::Tensor fake;
  {
    torch::NoGradGuard noGrad;  // the critic step does not train the generator
    const auto z = sampleLatent(m_nets.config, m_batch, options);
    fake = m_criticInput(m_nets.head(m_nets.generator->forwardInference(torch::cat({z, cond}, 1))));
  }
  const auto eps = torch::rand({m_batch, 1}, options);
  auto losses = m_analytic ? criticGradientsAnalytic(m_nets, real, fake, eps, cond)
                           : criticGradientsAutograd(m_nets, real, fake, eps, cond);
  m_nets.criticOptimizer->step();
  return losses;
}

void GanStepper::generatorStep(GanStepLosses& losses) {
  // The generator step needs gradients through the critic, not for its weights.
  for (auto& p : m_nets.critic->parameters()) p.requires_grad_(false);
  const auto options = m_targets.options();
  const auto cond = m_conditions.index_select(0, sampleIndex());
  const auto z = sampleLatent(m_nets.config, m_batch, options);
  const auto fake = m_criticInput(m_nets.head(m_nets.generator->forward(torch::cat({z, cond}, 1))));
  losses.generatorLoss = -m_nets.critic->forward(torch::cat({fake, cond}, 1)).mean();
  if (m_nets.config.marginalMatching > 0) {
    losses.marginalMatching = marginalMatchingLoss();
    losses.generatorLoss =
        losses.generatorLoss + m_nets.config.marginalMatching * losses.marginalMatching;
  }
  m_nets.generatorOptimizer->zero_grad();
  losses.generatorLoss.backward();
  m_nets.generatorOptimizer->step();
  m_nets.updateEma();
  for (auto& p : m_nets.critic->parameters()) p.requires_grad_(true);
}

GanStepLosses GanStepper::iterate() {
  GanStepLosses losses;
  for (int i = 0; i < m_nets.config.criticSteps; ++i) losses = criticStep();
  generatorStep(losses);
  for (auto* l : {&losses.criticLoss, &losses.wasserstein, &losses.gradientPenalty,
                  &losses.generatorLoss, &losses.marginalMatching}) {
    if (l->defined()) *l = l->detach();
  }
  return losses;
}

}  // namespace bolo::nn
