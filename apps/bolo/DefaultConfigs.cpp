#include "apps/bolo/DefaultConfigs.hpp"

namespace bolo::app {

std::vector<DefaultConfig> defaultConfigs() {
  return {};
}

}  // namespace bolo::app
