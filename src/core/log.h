#pragma once
// Logging setup: spdlog's default logger, text or JSON lines on stderr. Either way a
// message cannot break its line: control characters (CR, LF, NUL, ...) in it are
// written as escapes, since log messages quote what peers send.
#include <memory>

#include "core/config.h"

namespace spdlog {
class formatter;
}

namespace unicc::core {

// Configures the process-wide logger; returns false (and logs nothing) if the
// level or format is unknown — Config validation normally prevents that.
bool init_logging(const LogConfig& config);
// Changes the lowest level logged from now on (log.level at run time); false for an
// unknown level name.
bool set_log_level(const std::string& level);

// The text format's formatter (exposed for tests).
std::unique_ptr<spdlog::formatter> text_formatter();

}  // namespace unicc::core
