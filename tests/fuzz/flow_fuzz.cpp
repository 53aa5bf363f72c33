// libFuzzer target for IVR flow documents: parsing with line numbers, validation,
// and — for documents that validate — an executor run through a fixed series of
// events. Any input must give either a Flow or problems that all carry a line,
// never a crash or a hang (a validated flow cannot loop without input).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "ivr/check.h"
#include "ivr/executor.h"

namespace {

using namespace unicc::ivr;

void drive(const std::shared_ptr<const Flow>& flow) {
  unicc::core::FakeClock clock;
  Executor executor(flow, clock);
  executor.start("13800001111", "4000");
  const std::string keys = "1#29*3";
  for (int round = 0; round < 12 && !executor.finished(); ++round) {
    int turn = executor.turn();
    switch (round % 6) {
      case 0: executor.handle(PromptFinished{turn}); break;
      case 1: executor.handle(DigitReceived{keys[static_cast<std::size_t>(round) % keys.size()]}); break;
      case 2: executor.handle(TimedOut{turn}); break;
      case 3: executor.handle(HttpResult{turn, 200, R"({"balance": 1, "a": {"b": "c"}})", ""}); break;
      case 4: executor.handle(ActionFailed{turn, "busy"}); break;
      case 5: clock.advance(std::chrono::hours(7)); break;
    }
  }
  executor.handle(CallerHungUp{});
  if (to_json(executor.trace()).dump().empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  FlowCheck check = check_flow(text);
  if (check.ok() != check.problems.empty()) __builtin_trap();
  for (const auto& problem : check.problems) {
    if (problem.line < 1 || problem.message.empty()) __builtin_trap();
  }
  if (check.ok()) drive(check.flow);
  return 0;
}
