#include "core/config.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

namespace unicc::core {
namespace {

// How one key is read from TOML into Config and shown as a default.
struct KeyRule {
  ConfigKey info;
  // Applies the node to the config; returns a problem text or nothing.
  std::function<std::optional<std::string>(const toml::node&, Config&)> apply;
};

using IntCheck = std::function<std::optional<std::string>(std::int64_t)>;
using StringCheck = std::function<std::optional<std::string>(const std::string&)>;

IntCheck in_range(std::int64_t low, std::int64_t high) {
  return [=](std::int64_t v) -> std::optional<std::string> {
    if (v < low || v > high) return "must be between " + std::to_string(low) + " and " + std::to_string(high);
    return std::nullopt;
  };
}

StringCheck one_of(std::vector<std::string> allowed) {
  return [allowed](const std::string& v) -> std::optional<std::string> {
    for (const auto& a : allowed) {
      if (a == v) return std::nullopt;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
    return "must be one of " + list;
  };
}

StringCheck database_url() {
  return [](const std::string& v) -> std::optional<std::string> {
    bool sqlite = v.rfind("sqlite:", 0) == 0 && v.size() > 7;
    bool postgres = v.rfind("postgresql://", 0) == 0 || v.rfind("postgres://", 0) == 0;
    if (!sqlite && !postgres) return "must start with \"sqlite:\" or \"postgresql://\"";
    return std::nullopt;
  };
}

StringCheck not_empty() {
  return [](const std::string& v) -> std::optional<std::string> {
    if (v.empty()) return "must not be empty";
    return std::nullopt;
  };
}

template <class Section>
KeyRule int_key(std::string name, Section Config::*section, std::int64_t Section::*field, IntCheck check,
                std::string meaning) {
  Config defaults;
  KeyRule rule{{name, std::to_string(defaults.*section.*field), std::move(meaning)}, {}};
  rule.apply = [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    auto value = node.value_exact<std::int64_t>();
    if (!value) return std::string("expected an integer");
    if (auto problem = check(*value)) return problem;
    config.*section.*field = *value;
    return std::nullopt;
  };
  return rule;
}

template <class Section>
KeyRule string_key(std::string name, Section Config::*section, std::string Section::*field, StringCheck check,
                   std::string meaning) {
  Config defaults;
  KeyRule rule{{name, "\"" + defaults.*section.*field + "\"", std::move(meaning)}, {}};
  rule.apply = [=](const toml::node& node, Config& config) -> std::optional<std::string> {
    auto value = node.value_exact<std::string>();
    if (!value) return std::string("expected a string");
    if (auto problem = check(*value)) return problem;
    config.*section.*field = *value;
    return std::nullopt;
  };
  return rule;
}

const std::vector<KeyRule>& rules() {
  static const std::vector<KeyRule> all = {
      string_key("http.address", &Config::http, &HttpConfig::address, not_empty(),
                 "IP address the HTTP and WebSocket server listens on."),
      int_key("http.port", &Config::http, &HttpConfig::port, in_range(0, 65535),
              "TCP port of the HTTP server (0 picks a free port, printed at start)."),
      int_key("http.threads", &Config::http, &HttpConfig::threads, in_range(1, 64),
              "Threads serving HTTP requests and WebSockets."),
      int_key("http.max_body_bytes", &Config::http, &HttpConfig::max_body_bytes, in_range(1024, 1 << 30),
              "Largest request body accepted; larger ones get 413."),
      string_key("http.web_root", &Config::http, &HttpConfig::web_root, not_empty(),
                 "Folder of the built web UI served at /."),
      int_key("http.shutdown_grace_ms", &Config::http, &HttpConfig::shutdown_grace_ms, in_range(0, 600000),
              "On SIGTERM/SIGINT, how long in-flight requests may take to finish."),
      string_key("database.url", &Config::database, &DatabaseConfig::url, database_url(),
                 "\"sqlite:PATH\" (file created if missing) or \"postgresql://USER:PASS@HOST:PORT/DB\"."),
      int_key("database.pool_size", &Config::database, &DatabaseConfig::pool_size, in_range(1, 256),
              "Database connections shared by request handlers."),
      int_key("database.writer_batch_max", &Config::database, &DatabaseConfig::writer_batch_max,
              in_range(1, 100000), "Most queued writes (CDRs, logs) committed in one transaction."),
      int_key("database.writer_queue_max", &Config::database, &DatabaseConfig::writer_queue_max,
              in_range(1, 10000000), "Most writes waiting for the writer; beyond it a write is refused and counted."),
      string_key("log.level", &Config::log, &LogConfig::level,
                 one_of({"trace", "debug", "info", "warn", "error", "critical", "off"}), "Lowest level logged."),
      string_key("log.format", &Config::log, &LogConfig::format, one_of({"text", "json"}),
                 "\"text\" for people, \"json\" for one JSON object per line."),
      int_key("auth.token_ttl_s", &Config::auth, &AuthConfig::token_ttl_s, in_range(60, 30 * 86400),
              "Lifetime of a login token in seconds."),
      int_key("auth.login_failures_per_user", &Config::auth, &AuthConfig::login_failures_per_user,
              in_range(1, 1000), "Failed logins for one user name within the window before it is refused (429)."),
      int_key("auth.login_failures_per_address", &Config::auth, &AuthConfig::login_failures_per_address,
              in_range(1, 100000), "Failed logins from one source address within the window before it is refused."),
      int_key("auth.login_window_s", &Config::auth, &AuthConfig::login_window_s, in_range(1, 86400),
              "Sliding window, in seconds, for counting failed logins."),
  };
  return all;
}

std::string where(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line);
}

void apply_table(const toml::table& table, const std::string& prefix, const std::string& source,
                 const std::map<std::string, const KeyRule*>& by_name, Config& config,
                 std::vector<std::string>& problems) {
  for (const auto& [key, node] : table) {
    std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* sub = node.as_table()) {
      bool known_section = false;
      for (const auto& [rule_name, rule] : by_name) {
        if (rule_name.rfind(name + ".", 0) == 0) known_section = true;
      }
      if (!known_section) {
        problems.push_back(where(source, node.source()) + ": " + name + ": unknown section");
        continue;
      }
      apply_table(*sub, name, source, by_name, config, problems);
      continue;
    }
    auto found = by_name.find(name);
    if (found == by_name.end()) {
      problems.push_back(where(source, node.source()) + ": " + name + ": unknown key");
      continue;
    }
    if (auto problem = found->second->apply(node, config)) {
      problems.push_back(where(source, node.source()) + ": " + name + ": " + *problem);
    }
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Config parse_config(const std::string& text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw ConfigError({where(source, error.source()) + ": " + std::string(error.description())});
  }
  std::map<std::string, const KeyRule*> by_name;
  for (const auto& rule : rules()) by_name[rule.info.name] = &rule;
  Config config;
  std::vector<std::string> problems;
  apply_table(table, "", source, by_name, config, problems);
  if (!problems.empty()) {
    // toml++ walks keys in name order; people read files top to bottom.
    auto line_of = [&](const std::string& problem) {
      return std::stoi(problem.substr(source.size() + 1));
    };
    std::stable_sort(problems.begin(), problems.end(),
                     [&](const auto& a, const auto& b) { return line_of(a) < line_of(b); });
    throw ConfigError(std::move(problems));
  }
  return config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path + ": cannot be read"});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path);
}

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = [] {
    std::vector<ConfigKey> out;
    for (const auto& rule : rules()) out.push_back(rule.info);
    return out;
  }();
  return keys;
}

}  // namespace unicc::core
