#include "core/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace unicc::core {
namespace {

// %j: the message escaped for a JSON string, so JSON log lines stay valid whatever
// the message holds.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : msg.payload) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            const char escaped[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
            dest.append(escaped, escaped + sizeof(escaped));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

// %q: the message with control characters written as escapes, so text taken from a
// packet or a request (a caller ID with CR LF) cannot forge or split a log line.
class ControlEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : msg.payload) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '\\') {
        dest.append(std::string_view("\\\\"));
      } else if (byte < 0x20 || byte == 0x7f) {
        const char escaped[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
        dest.append(escaped, escaped + sizeof(escaped));
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<ControlEscapedMessage>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> text_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<ControlEscapedMessage>('q').set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [%t] %q");
  return formatter;
}

bool set_log_level(const std::string& level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  spdlog::default_logger()->set_level(parsed);
  return true;
}

bool init_logging(const LogConfig& config) {
  auto level = spdlog::level::from_str(config.level);
  if (level == spdlog::level::off && config.level != "off") return false;
  auto logger = std::make_shared<spdlog::logger>("unicc", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  std::unique_ptr<spdlog::formatter> formatter;
  if (config.format == "json") {
    auto json = std::make_unique<spdlog::pattern_formatter>();
    json->add_flag<JsonEscapedMessage>('j').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%j"})");
    formatter = std::move(json);
  } else if (config.format == "text") {
    formatter = text_formatter();
  } else {
    return false;
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return true;
}

}  // namespace unicc::core
