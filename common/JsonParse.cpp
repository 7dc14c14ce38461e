#include "common/JsonParse.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "common/Error.hpp"

namespace bolo {

namespace {

using Json = nlohmann::json;

/// Where the parser is in the document: one frame per open object or array, so an error
/// found inside a value (a number out of range) can name its JSON path.
class PathTracker {
 public:
  bool onEvent(int depth, Json::parse_event_t event, const Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        // `depth` counts the containers around this one: this one makes it depth + 1.
        if (depth >= kMaxJsonDepth) throw TooDeep{};
        m_frames.push_back({event == Json::parse_event_t::array_start, {}, 0});
        break;
      case Json::parse_event_t::key:
        if (!m_frames.empty()) m_frames.back().key = parsed.get<std::string>();
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!m_frames.empty()) m_frames.pop_back();
        elementDone();
        break;
      case Json::parse_event_t::value:
        elementDone();
        break;
    }
    return true;  // keep every value
  }

  /// "train.batch_size", "energies[3]", or "" at the top level.
  std::string path() const {
    std::string out;
    for (const auto& f : m_frames) {
      if (f.isArray) {
        out += fmt::format("[{}]", f.index);
      } else if (!f.key.empty()) {
        if (!out.empty()) out += '.';
        out += f.key;
      }
    }
    return out;
  }

  struct TooDeep {};

 private:
  struct Frame {
    bool isArray;
    std::string key;
    std::size_t index;
  };

  void elementDone() {
    if (!m_frames.empty() && m_frames.back().isArray) ++m_frames.back().index;
  }

  std::vector<Frame> m_frames;
};

/// The text nlohmann quotes in "number overflow parsing '1e400'", cut short.
std::string quotedToken(const std::string& message) {
  const auto first = message.find('\'');
  const auto last = message.rfind('\'');
  if (first == std::string::npos || last <= first) return {};
  std::string token = message.substr(first + 1, last - first - 1);
  if (token.size() > 30) token = token.substr(0, 27) + "...";
  return token;
}

void appendExcerpt(const Json& value, std::string& out, std::size_t budget) {
  // Stop once the budget is spent: the caller cuts the text and adds "...".
  if (out.size() > budget) return;
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end() && out.size() <= budget; ++it) {
      if (!first) out += ',';
      first = false;
      out += Json(it.key()).dump(-1, ' ', false, Json::error_handler_t::replace);
      out += ':';
      appendExcerpt(it.value(), out, budget);
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (auto it = value.begin(); it != value.end() && out.size() <= budget; ++it) {
      if (!first) out += ',';
      first = false;
      appendExcerpt(*it, out, budget);
    }
    out += ']';
  } else {
    // Scalars are flat; `replace` because a string built from outside data may not be UTF-8.
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

}  // namespace

nlohmann::json parseJson(const std::string& text, const std::string& origin) {
  PathTracker tracker;
  try {
    return Json::parse(text, [&tracker](int depth, Json::parse_event_t event, Json& parsed) {
      return tracker.onEvent(depth, event, parsed);
    });
  } catch (const PathTracker::TooDeep&) {
    throw InputError(fmt::format("{}: JSON nested deeper than {} levels", origin, kMaxJsonDepth));
  } catch (const Json::parse_error& e) {
    // nlohmann's message is long and multi-part; keep the byte position, which locates it.
    throw InputError(fmt::format("{}: malformed JSON near byte {}", origin, e.byte));
  } catch (const Json::out_of_range& e) {
    // 406: a number literal beyond the range of a double (e.g. 1e400).
    const std::string path = tracker.path();
    throw InputError(fmt::format("{}: {}{}number out of range of a double ({})", origin, path,
                                 path.empty() ? "" : ": ", quotedToken(e.what())));
  }
}

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot open file", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parseJson(buffer.str(), path);
}

std::string jsonExcerpt(const nlohmann::json& value, std::size_t maxChars) {
  std::string text;
  appendExcerpt(value, text, maxChars);
  if (text.size() > maxChars) text = text.substr(0, maxChars > 3 ? maxChars - 3 : 0) + "...";
  return text;
}

}  // namespace bolo
