#pragma once
// A CommandRunner for unit tests: records every command and answers from a table keyed by
// the program name (the last answer given for a program is repeated).

#include <map>
#include <string>
#include <vector>

#include "batch/CommandRunner.hpp"

namespace bolo::batch::test {

class FakeCommandRunner : public CommandRunner {
 public:
  void answer(const std::string& program, ProcessResult result) {
    m_answers[program].push_back(result);
  }

  ProcessResult run(const std::vector<std::string>& argv) override {
    calls.push_back(argv);
    auto& queue = m_answers[argv.front()];
    if (queue.empty()) return {127, "", "no answer recorded for " + argv.front()};
    ProcessResult result = queue.front();
    if (queue.size() > 1) queue.erase(queue.begin());
    return result;
  }

  std::vector<std::vector<std::string>> calls;

 private:
  std::map<std::string, std::vector<ProcessResult>> m_answers;
};

}  // namespace bolo::batch::test
