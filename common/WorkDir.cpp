#include "common/WorkDir.hpp"

#include <cstdlib>

namespace bolo {

WorkDir resolveWorkDir(const std::string& option) {
  if (!option.empty()) return {option};
  if (const char* env = std::getenv("BOLO_WORKDIR"); env && *env) return {env};
  return {"bolo-work"};
}

}  // namespace bolo
