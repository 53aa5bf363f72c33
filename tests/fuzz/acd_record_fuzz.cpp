// libFuzzer target for the ACD's queue and agent records as the REST API reads them
// (acd_store::queue_from_json, agent_from_json). Any JSON must give a record or a
// RecordError naming a field, never another exception or a crash; a record read
// back from its own JSON must be the same record.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "acd/store/acd_store.h"

namespace {

using namespace unicc::acd_store;

template <typename Read>
void read_twice(const nlohmann::json& object, Read read) {
  try {
    const nlohmann::json written = to_json(read(object));
    if (to_json(read(written)) != written) __builtin_trap();
  } catch (const RecordError& error) {
    if (std::string_view(error.what()).empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto object = nlohmann::json::parse(data, data + size, nullptr, false);
  if (object.is_discarded()) return 0;
  read_twice(object, queue_from_json);
  read_twice(object, agent_from_json);
  return 0;
}
