// The analytic gradient-penalty gradient of the MLP critic equals autograd's double backward.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "GanTestSupport.hpp"
#include "calo/nn/GanStep.hpp"

namespace bolo::nn {
namespace {

class CriticGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(CriticGradient, AnalyticEqualsAutograd) {
  torch::manual_seed(3);
  GanConfig config = test::tinyGanConfig();
  config.activation = GetParam();
  config.criticHidden = {24, 16, 8};
  const int voxels = 10;
  GanNetworks nets(config, voxels, torch::Device("cpu"));
  // Double precision: the comparison then tests the algebra, not float rounding.
  nets.critic->to(torch::kFloat64);
  const int64_t batch = 32;
  const auto options = torch::TensorOptions().dtype(torch::kFloat64);
  const auto real = torch::rand({batch, voxels}, options);
  const auto fake = torch::rand({batch, voxels}, options);
  const auto eps = torch::rand({batch, 1}, options);
  const auto cond = torch::rand({batch, 1}, options);

  const auto a = criticGradientsAutograd(nets, real, fake, eps, cond);
  std::vector<torch::Tensor> autogradGrads;
  for (const auto& p : nets.critic->parameters()) autogradGrads.push_back(p.grad().clone());
  const auto b = criticGradientsAnalytic(nets, real, fake, eps, cond);
  EXPECT_NEAR(a.criticLoss.item<double>(), b.criticLoss.item<double>(), 1e-10);
  EXPECT_NEAR(a.gradientPenalty.item<double>(), b.gradientPenalty.item<double>(), 1e-10);
  const auto params = nets.critic->parameters();
  ASSERT_EQ(params.size(), autogradGrads.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    const double scale = autogradGrads[i].abs().max().item<double>() + 1e-12;
    const double diff = (params[i].grad() - autogradGrads[i]).abs().max().item<double>();
    EXPECT_LT(diff / scale, 1e-9) << "parameter " << i;  // double rounding only
  }
}

INSTANTIATE_TEST_SUITE_P(Activations, CriticGradient,
                         ::testing::Values("silu", "tanh", "relu", "leaky_relu"));

}  // namespace
}  // namespace bolo::nn
