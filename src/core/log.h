#pragma once
// Logging setup: spdlog's default logger, text or JSON lines on stderr.
#include "core/config.h"

namespace unicc::core {

// Configures the process-wide logger; returns false (and logs nothing) if the
// level or format is unknown — Config validation normally prevents that.
bool init_logging(const LogConfig& config);

}  // namespace unicc::core
