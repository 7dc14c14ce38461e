#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "calo/ShowerGeometry.hpp"
#include "common/Error.hpp"

using bolo::InputError;
using bolo::Particle;
using bolo::ShowerGeometry;

TEST(ShowerGeometry, PhotonsHave368VoxelsInFiveLayers) {
  const auto g = ShowerGeometry::forParticle(Particle::kPhotons);
  EXPECT_EQ(g.voxelCount(), 368u);
  ASSERT_EQ(g.layers().size(), 5u);
  const std::vector<int> ids{0, 1, 2, 3, 12};
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(g.layers()[i].id, ids[i]);
  EXPECT_EQ(g.pid(), 22);
}

TEST(ShowerGeometry, PionsHave533VoxelsInSevenLayers) {
  const auto g = ShowerGeometry::forParticle(Particle::kPions);
  EXPECT_EQ(g.voxelCount(), 533u);
  ASSERT_EQ(g.layers().size(), 7u);
  EXPECT_EQ(g.layers().back().id, 14);
  // Layer ranges tile the flat vector without gaps.
  std::size_t next = 0;
  for (const auto& layer : g.layers()) {
    EXPECT_EQ(layer.firstVoxel, next);
    next = layer.endVoxel();
  }
  EXPECT_EQ(next, 533u);
}

TEST(ShowerGeometry, VoxelOrderIsLayerThenAlphaThenRadial) {
  const auto g = ShowerGeometry::forParticle(Particle::kPions);
  const auto& layer1 = g.layers()[1];  // id 1: 10 radial bins x 10 alpha bins
  ASSERT_EQ(layer1.radialBins(), 10);
  ASSERT_EQ(layer1.alphaBins, 10);
  EXPECT_EQ(g.voxelIndex(1, 0, 0), layer1.firstVoxel);
  EXPECT_EQ(g.voxelIndex(1, 0, 1), layer1.firstVoxel + 1);   // radial fastest
  EXPECT_EQ(g.voxelIndex(1, 1, 0), layer1.firstVoxel + 10);  // then alpha
}

TEST(ShowerGeometry, VoxelCentres) {
  const auto g = ShowerGeometry::forParticle(Particle::kPions);
  // Layer 0 edges 0,5,10,...: first bin centre at 2.5 mm; one alpha bin -> alpha 0.
  EXPECT_DOUBLE_EQ(g.voxelCentre(0, 0, 0).r, 2.5);
  EXPECT_DOUBLE_EQ(g.voxelCentre(0, 0, 0).alpha, 0.0);
  // Ten alpha bins in [-pi, pi): the first centre is at -pi + pi/10.
  EXPECT_NEAR(g.voxelCentre(1, 0, 0).alpha, -std::numbers::pi + std::numbers::pi / 10, 1e-12);
}

TEST(ShowerGeometry, VoxelPositionsInTheLayerPlane) {
  const auto g = ShowerGeometry::forParticle(Particle::kPions);
  const auto p = g.voxelPositions();
  ASSERT_EQ(p.x.size(), 533u);
  ASSERT_EQ(p.y.size(), 533u);
  // Pion layers 0, 1, 2, 3, 12, 13, 14: one alpha bin in 0, 3 and 14, ten in the others.
  EXPECT_EQ(p.layerHasAngles, (std::vector<bool>{false, true, true, false, true, true, false}));
  // Layer 0, first radial bin: r 2.5 mm at alpha 0 -> (2.5, 0).
  EXPECT_DOUBLE_EQ(p.x[0], 2.5);
  EXPECT_DOUBLE_EQ(p.y[0], 0.0);
  // Layer 1, alpha bin 0, radial bin 0: r cos / r sin of alpha -pi + pi/10.
  const auto c = g.voxelCentre(1, 0, 0);
  const std::size_t v = g.voxelIndex(1, 0, 0);
  EXPECT_NEAR(p.x[v], c.r * std::cos(c.alpha), 1e-12);
  EXPECT_NEAR(p.y[v], c.r * std::sin(c.alpha), 1e-12);
  EXPECT_LT(p.x[v], 0.0);  // alpha near -pi: left of the axis, just below it
  EXPECT_LT(p.y[v], 0.0);
}

TEST(ShowerGeometry, RejectsMalformedXml) {
  EXPECT_THROW(ShowerGeometry::fromXmlText("<Bins><Bin>", "x.xml"), InputError);
  EXPECT_THROW(ShowerGeometry::fromXmlText("<Other/>", "x.xml"), InputError);
  EXPECT_THROW(
      ShowerGeometry::fromXmlText(
          R"(<Bins><Bin pid="1"><Layer id="0" r_edges="0,5,x" n_bin_alpha="1"/></Bin></Bins>)",
          "x.xml"),
      InputError);
  EXPECT_THROW(
      ShowerGeometry::fromXmlText(
          R"(<Bins><Bin pid="1"><Layer id="0" r_edges="0,5,4" n_bin_alpha="1"/></Bin></Bins>)",
          "x.xml"),
      InputError);
  EXPECT_THROW(ShowerGeometry::fromXmlText(
                   R"(<Bins><Bin pid="1"><Layer id="0" r_edges="0" n_bin_alpha="1"/></Bin></Bins>)",
                   "x.xml"),
               InputError);
  EXPECT_THROW(ShowerGeometry::fromXml("/nonexistent/geometry.xml"), InputError);
}

TEST(ShowerGeometry, ErrorNamesTheFile) {
  try {
    ShowerGeometry::fromXmlText("<Bins>", "mine.xml");
    FAIL() << "no exception";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("mine.xml"), std::string::npos);
  }
}

namespace {

std::string layerXml(const std::string& layerAttributes) {
  return R"(<Bins><Bin pid="211"><Layer id="0" r_edges="0,5,10" n_bin_alpha="2"/><Layer )" +
         layerAttributes + "/></Bin></Bins>";
}

std::string errorOf(const std::string& xml) {
  try {
    ShowerGeometry::fromXmlText(xml, "g.xml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string edges(int radialBins) {
  std::string text = "0";
  for (int i = 1; i <= radialBins; ++i) {
    text += ',';  // two appends: "," + std::string trips GCC 12's -Wrestrict false positive
    text += std::to_string(i);
  }
  return text;
}

}  // namespace

TEST(ShowerGeometry, IntegerAttributesOutOfRangeAreRejectedNotClamped) {
  // The crafted file of the report: 16 x 268435466 wraps around in int to a small count.
  EXPECT_EQ(errorOf(layerXml(R"(id="13" r_edges=")" + edges(16) + R"(" n_bin_alpha="268435466")")),
            "g.xml: layer 13: n_bin_alpha=\"268435466\" is not an integer in [1, 1000]");
  // pugixml alone would clamp this to INT_MAX, and read "10abc" as 10.
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges="0,1" n_bin_alpha="99999999999999999999")")),
            "g.xml: layer 1: n_bin_alpha=\"99999999999999999999\" is not an integer in [1, 1000]");
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges="0,1" n_bin_alpha="10abc")")),
            "g.xml: layer 1: n_bin_alpha=\"10abc\" is not an integer in [1, 1000]");
  EXPECT_EQ(errorOf(layerXml(R"(id="-1" r_edges="0,1")")),
            "g.xml: layer -1: id=\"-1\" is not an integer in [0, 999]");
  EXPECT_EQ(errorOf(R"(<Bins><Bin pid="1e3"><Layer id="0" r_edges="0,1"/></Bin></Bins>)"),
            "g.xml: pid=\"1e3\" is not an integer in [-2147483648, 2147483647]");
}

TEST(ShowerGeometry, VoxelCountsAreBoundedAndExact) {
  // At the limits: 1000 radial x 1000 alpha bins is one million voxels minus layer 0's four.
  const auto big = layerXml(R"(id="1" r_edges=")" + edges(1000) + R"(" n_bin_alpha="996")");
  const auto g = ShowerGeometry::fromXmlText(big, "g.xml");
  EXPECT_EQ(g.voxelCount(), 4u + 1000u * 996u);
  EXPECT_EQ(g.layers()[1].voxelCount(), 996000u);
  EXPECT_EQ(g.voxelIndex(1, 995, 999), g.voxelCount() - 1);
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges=")" + edges(1000) + R"(" n_bin_alpha="1000")")),
            "g.xml: layer 1: more than 1000000 voxels in all");
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges=")" + edges(1001) + R"(")")),
            "g.xml: layer 1: more than 1000 radial bins");
}

TEST(ShowerGeometry, EdgesMustBeFinite) {
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges="0,5,inf")")),
            "g.xml: layer 1: r_edges entry 'inf' is not a finite non-negative number");
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges="0,5,1e400")")),
            "g.xml: layer 1: r_edges entry '1e400' is not a finite non-negative number");
  // Spaces around entries are fine, as before.
  EXPECT_EQ(errorOf(layerXml(R"(id="1" r_edges="0, 5 ,10")")), "no error");
}
