#include "core/log.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>
#include <spdlog/formatter.h>

#include <string>

namespace unicc::core {
namespace {

std::string formatted(std::string_view payload) {
  auto formatter = text_formatter();
  spdlog::details::log_msg message("unicc", spdlog::level::info, payload);
  spdlog::memory_buf_t out;
  formatter->format(message, out);
  return std::string(out.data(), out.size());
}

// The attack: a caller ID such as "1001\r\n2026-01-01 ... error forged line".
TEST(LogTest, ControlCharactersInAMessageCannotStartANewLine) {
  const std::string line = formatted(std::string("call from 1001\r\nforged\0x", 25));
  EXPECT_NE(line.find("call from 1001\\x0d\\x0aforged\\x00x"), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // only the line's own end
  EXPECT_NE(formatted("a\\x0d").find("a\\\\x0d"), std::string::npos);  // escapes cannot be forged either
}

}  // namespace
}  // namespace unicc::core
