#include "core/config.h"
#include "core/config_rules.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "core/address_list.h"
#include "core/text.h"

namespace unicc::core {

ConfigCheck<std::int64_t> in_range(std::int64_t low, std::int64_t high) {
  return [=](const std::int64_t& v) -> ConfigProblem {
    if (v < low || v > high) return "must be between " + std::to_string(low) + " and " + std::to_string(high);
    return std::nullopt;
  };
}

ConfigCheck<std::string> one_of(std::vector<std::string> allowed) {
  return [allowed](const std::string& v) -> ConfigProblem {
    for (const auto& a : allowed) {
      if (a == v) return std::nullopt;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
    return "must be one of " + list;
  };
}

ConfigCheck<std::string> not_empty() {
  return [](const std::string& v) -> ConfigProblem {
    if (v.empty()) return "must not be empty";
    return std::nullopt;
  };
}

ConfigCheck<std::string> digits(bool allow_empty) {
  return [allow_empty](const std::string& v) -> ConfigProblem {
    if (v.empty() && allow_empty) return std::nullopt;
    if (!is_dial_string(v)) {
      return "must be digits (0-9, *, #, +)";
    }
    return std::nullopt;
  };
}

std::string show_config_value(const ConfigValue& value) {
  struct Show {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (const auto& item : v) out += (out.empty() ? "" : ", ") + (*this)(item);
      return "[" + out + "]";
    }
  };
  return std::visit(Show{}, value);
}

std::string config_type_name(const ConfigValue& value) {
  static const char* const names[] = {"nothing", "a string", "an integer", "true or false", "an array of strings"};
  return names[value.index()];
}

namespace {

ConfigCheck<std::string> database_url() {
  return [](const std::string& v) -> ConfigProblem {
    bool sqlite = v.rfind("sqlite:", 0) == 0 && v.size() > 7;
    bool postgres = v.rfind("postgresql://", 0) == 0 || v.rfind("postgres://", 0) == 0;
    if (!sqlite && !postgres) return "must start with \"sqlite:\" or \"postgresql://\"";
    return std::nullopt;
  };
}

ConfigCheck<std::string> number_range() {
  return [](const std::string& v) -> ConfigProblem {
    auto dash = v.find('-');
    std::string low = v.substr(0, dash), high = dash == std::string::npos ? low : v.substr(dash + 1);
    bool ok = !low.empty() && low.size() == high.size() && low.find_first_not_of("0123456789") == std::string::npos &&
              high.find_first_not_of("0123456789") == std::string::npos && low <= high;
    if (!ok) return "must be a number or a range of equally long numbers, e.g. \"4000-4099\"";
    return std::nullopt;
  };
}

// Only the digits 0-9, between `min_length` and `max_length` of them.
ConfigCheck<std::string> plain_digits(std::size_t min_length, std::size_t max_length) {
  return [=](const std::string& v) -> ConfigProblem {
    if (v.size() < min_length || v.size() > max_length || v.find_first_not_of("0123456789") != std::string::npos) {
      return "must be " + std::to_string(min_length) + "-" + std::to_string(max_length) + " digits (0-9)";
    }
    return std::nullopt;
  };
}

// A code of the agent desktop's lists: 1-32 of a-z 0-9 _ -, safe in URLs, CSS and logs.
ConfigCheck<std::string> code_name() {
  return [](const std::string& v) -> ConfigProblem {
    constexpr const char* kAllowed = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    if (v.empty() || v.size() > 32 || v.find_first_not_of(kAllowed) != std::string::npos) {
      return "must be 1-32 characters of a-z, 0-9, _ and -";
    }
    return std::nullopt;
  };
}

// Text of at most `max_characters` characters (toml++ has checked it is UTF-8).
ConfigCheck<std::string> label(bool required, std::size_t max_characters) {
  return [=](const std::string& v) -> ConfigProblem {
    if (required && v.empty()) return "must not be empty";
    auto characters = std::count_if(v.begin(), v.end(), [](char byte) { return (byte & 0xC0) != 0x80; });
    if (static_cast<std::size_t>(characters) > max_characters) {
      return "must be at most " + std::to_string(max_characters) + " characters";
    }
    return std::nullopt;
  };
}

// Every element a valid core::AddressList entry.
ConfigCheck<std::vector<std::string>> address_entries(bool host_names_allowed) {
  return [host_names_allowed](const std::vector<std::string>& entries) -> ConfigProblem {
    for (const auto& entry : entries) {
      if (auto why = AddressList::problem(entry, host_names_allowed)) return why;
    }
    return std::nullopt;
  };
}

// The node as rules see it (core::ConfigValue).
ConfigValue value_of(const toml::node& node) {
  if (auto text = node.value_exact<std::string>()) return *text;
  if (auto number = node.value_exact<std::int64_t>()) return *number;
  if (auto flag = node.value_exact<bool>()) return *flag;
  const auto* array = node.as_array();
  if (!array) return std::monostate{};
  std::vector<std::string> out;
  for (const auto& element : *array) {
    auto text = element.value_exact<std::string>();
    if (!text) return std::monostate{};
    out.push_back(*text);
  }
  return out;
}

// Shorthand: a Config key.
#define UNICC_KEY(T, name, expr, check, meaning) \
  key<Config, T>(name, [](auto& c) -> auto& { return c.expr; }, check, meaning)

const std::vector<KeyRule<Config>>& config_rules() {
  using S = std::string;
  using I = std::int64_t;
  using L = std::vector<std::string>;
  static const std::vector<KeyRule<Config>> all = {
      UNICC_KEY(S, "http.address", http.address, not_empty(), "IP address the HTTP and WebSocket server listens on."),
      UNICC_KEY(I, "http.port", http.port, in_range(0, 65535),
                "TCP port of the HTTP server (0 picks a free port, printed at start)."),
      UNICC_KEY(I, "http.threads", http.threads, in_range(1, 64), "Threads serving HTTP requests and WebSockets."),
      UNICC_KEY(I, "http.max_body_bytes", http.max_body_bytes, in_range(1024, 1 << 30),
                "Largest request body accepted; larger ones get 413."),
      UNICC_KEY(S, "http.web_root", http.web_root, not_empty(), "Folder of the built web UI served at /."),
      UNICC_KEY(I, "http.shutdown_grace_ms", http.shutdown_grace_ms, in_range(0, 600000),
                "On SIGTERM/SIGINT, how long in-flight requests may take to finish."),
      UNICC_KEY(S, "http.tls_certificate", http.tls_certificate, anything<std::string>(),
                "PEM file with the HTTPS certificate (then its chain); with http.tls_private_key, the server "
                "speaks only HTTPS and WSS."),
      UNICC_KEY(S, "http.tls_private_key", http.tls_private_key, anything<std::string>(),
                "PEM file with the private key of http.tls_certificate."),
      UNICC_KEY(L, "http.trusted_proxies", http.trusted_proxies, address_entries(false),
                "Reverse proxies (addresses or networks) whose X-Forwarded-For header names the client; "
                "from anyone else the header is ignored."),
      UNICC_KEY(S, "database.url", database.url, database_url(),
                "\"sqlite:PATH\" (file created if missing) or \"postgresql://USER:PASS@HOST:PORT/DB\"."),
      UNICC_KEY(I, "database.pool_size", database.pool_size, in_range(1, 256),
                "Database connections shared by request handlers."),
      UNICC_KEY(I, "database.writer_batch_max", database.writer_batch_max, in_range(1, 100000),
                "Most queued writes (CDRs, logs) committed in one transaction."),
      UNICC_KEY(I, "database.writer_queue_max", database.writer_queue_max, in_range(1, 10000000),
                "Most writes waiting for the writer; beyond it a write is refused and counted."),
      UNICC_KEY(S, "database.sqlite_synchronous", database.sqlite_synchronous, one_of({"normal", "full"}),
                "SQLite only: \"normal\" keeps every accepted record through a killed process; \"full\" "
                "also through power loss, at one fsync per commit (docs/durability.md)."),
      UNICC_KEY(S, "log.level", log.level, one_of({"trace", "debug", "info", "warn", "error", "critical", "off"}),
                "Lowest level logged."),
      UNICC_KEY(S, "log.format", log.format, one_of({"text", "json"}),
                "\"text\" for people, \"json\" for one JSON object per line."),
      UNICC_KEY(I, "auth.token_ttl_s", auth.token_ttl_s, in_range(60, 30 * 86400),
                "Lifetime of a login token in seconds."),
      UNICC_KEY(I, "auth.login_failures_per_user", auth.login_failures_per_user, in_range(1, 1000),
                "Failed logins for one user name from one source address within the window before that "
                "user is refused (429) from that address; other addresses are not affected."),
      UNICC_KEY(I, "auth.login_failures_per_address", auth.login_failures_per_address, in_range(1, 100000),
                "Failed logins from one source address (any user names) within the window before it is "
                "refused."),
      UNICC_KEY(I, "auth.login_window_s", auth.login_window_s, in_range(1, 86400),
                "Sliding window, in seconds, for counting failed logins."),
      UNICC_KEY(L, "auth.trusted_networks", auth.trusted_networks, address_entries(false),
                "Networks (\"10.1.0.0/16\", \"192.0.2.7\") whose logins are never throttled, so an admin "
                "there can always sign in."),
      UNICC_KEY(S, "sip.address", sip.address, not_empty(), "IP address SIP listens on (UDP and TCP)."),
      UNICC_KEY(I, "sip.port", sip.port, in_range(0, 65535), "SIP port for UDP and TCP."),
      UNICC_KEY(bool, "sip.udp", sip.udp, anything<bool>(), "Accept and send SIP over UDP."),
      UNICC_KEY(bool, "sip.tcp", sip.tcp, anything<bool>(), "Accept and send SIP over TCP."),
      UNICC_KEY(S, "sip.realm", sip.realm, not_empty(), "Digest authentication realm for phones and trunks."),
      UNICC_KEY(S, "sip.digest_algorithms", sip.digest_algorithms,
                one_of({"md5", "sha-256", "md5,sha-256", "sha-256,md5"}),
                "Digest challenges offered, in order; answers with MD5 or SHA-256 are always verified."),
      UNICC_KEY(S, "sip.public_address", sip.public_address, anything<std::string>(),
                "Address written into Via, Contact and SDP when peers reach us through NAT; empty = sip.address."),
      UNICC_KEY(I, "sip.registration_min_expires_s", sip.registration_min_expires_s, in_range(1, 86400),
                "Shortest registration accepted; shorter requests get 423 Interval Too Brief."),
      UNICC_KEY(I, "sip.registration_max_expires_s", sip.registration_max_expires_s, in_range(1, 604800),
                "Longest registration granted; longer requests are shortened to it."),
      UNICC_KEY(I, "sip.ring_timeout_s", sip.ring_timeout_s, in_range(1, 3600),
                "How long a called phone may ring before the caller gets 480."),
      UNICC_KEY(I, "sip.tcp_message_timeout_s", sip.tcp_message_timeout_s, in_range(1, 3600),
                "A SIP message over TCP must be complete within this many seconds of its first byte, and a new "
                "connection must send its first message within it; otherwise the connection is closed."),
      UNICC_KEY(I, "sip.tcp_idle_timeout_s", sip.tcp_idle_timeout_s, in_range(1, 7 * 86400),
                "A TCP connection without messages or keep-alives either way for this long is closed, unless a "
                "registration made over it is current or a call set up over it has not ended."),
      UNICC_KEY(I, "sip.tcp_max_connections", sip.tcp_max_connections, in_range(1, 1000000),
                "Most open SIP connections; further inbound ones are refused (connections unicc opens are not)."),
      UNICC_KEY(I, "sip.tcp_max_connections_per_address", sip.tcp_max_connections_per_address,
                in_range(1, 1000000), "Most inbound SIP connections from one IP address; further ones are refused."),
      UNICC_KEY(bool, "sip.tls", sip.tls, anything<bool>(), "Accept and send SIP over TLS, on sip.tls_port."),
      UNICC_KEY(I, "sip.tls_port", sip.tls_port, in_range(0, 65535), "SIP port for TLS."),
      UNICC_KEY(S, "sip.tls_certificate", sip.tls_certificate, anything<std::string>(),
                "PEM file with the certificate (then its chain) for SIP over TLS; read again on SIGHUP and when it "
                "changes. With --demo and none set, a self-signed one is made in var/tls/."),
      UNICC_KEY(S, "sip.tls_private_key", sip.tls_private_key, anything<std::string>(),
                "PEM file with the private key of sip.tls_certificate."),
      UNICC_KEY(S, "sip.tls_ca_file", sip.tls_ca_file, anything<std::string>(),
                "PEM file of CA certificates: client certificates must chain to them when sip.tls_verify_client; "
                "servers unicc connects to over TLS must chain to them or to the system's CAs."),
      UNICC_KEY(bool, "sip.tls_verify_client", sip.tls_verify_client, anything<bool>(),
                "Require every TLS client to present a certificate that chains to sip.tls_ca_file (for a TLS "
                "listener that serves trunks only: phones seldom have certificates)."),
      UNICC_KEY(I, "sip.ban_failures_per_address", sip.ban_failures_per_address, in_range(1, 100000),
                "Failed SIP authentications from one address within sip.ban_window_s that ban it (everything "
                "it sends is then dropped unanswered); trunk addresses are never banned."),
      UNICC_KEY(I, "sip.ban_failures_per_user", sip.ban_failures_per_user, in_range(1, 100000),
                "Failed SIP authentications for one user within sip.ban_window_s that ban the user from every "
                "address it has not authenticated from before."),
      UNICC_KEY(I, "sip.ban_window_s", sip.ban_window_s, in_range(1, 86400),
                "The window in which failed SIP authentications are counted."),
      UNICC_KEY(I, "sip.ban_duration_s", sip.ban_duration_s, in_range(1, 30 * 86400),
                "How long a SIP ban lasts (an admin may lift it earlier: DELETE /api/v1/sip/bans/...)."),
      UNICC_KEY(S, "media.address", media.address, not_empty(), "IP address RTP is relayed on (and put in SDP)."),
      UNICC_KEY(I, "media.rtp_port_min", media.rtp_port_min, in_range(1024, 65534), "Lowest RTP port (even)."),
      UNICC_KEY(I, "media.rtp_port_max", media.rtp_port_max, in_range(1025, 65535), "Highest RTP port."),
      UNICC_KEY(S, "media.latching", media.latching, one_of({"symmetric", "strict"}),
                "Where a call's RTP is accepted from: strict = only the address and port its SDP announced; "
                "symmetric = also a phone behind NAT, latched within a call's first 50 packets to a source that "
                "sends 3 in a row with one SSRC, never away from the SDP's own endpoint once it sent."),
      UNICC_KEY(I, "media.rtp_timeout_s", media.rtp_timeout_s, in_range(5, 3600),
                "A call with no RTP from either side for this long is hung up."),
      UNICC_KEY(I, "media.rtp_threads", media.rtp_threads, in_range(0, 64),
                "Threads relaying RTP (each call's media stays on one); 0 = one per CPU core."),
      UNICC_KEY(I, "media.rtp_nice", media.rtp_nice, in_range(-20, 19),
                "Nice value of the RTP threads, so that a busy machine delays audio last; below 0 needs "
                "root or CAP_SYS_NICE (without it the threads keep the server's own priority, with a warning)."),
      UNICC_KEY(bool, "media.record_calls", media.record_calls, anything<bool>(), "Record every bridged call to WAV."),
      UNICC_KEY(S, "media.srtp", media.srtp, one_of({"off", "optional", "required"}),
                "SRTP (SDES keys in the SDP): optional answers SRTP offers with SRTP and offers plain RTP; "
                "required offers only RTP/SAVP and refuses plain offers (488); off refuses RTP/SAVP. "
                "SDES keys are readable on the SIP path: use it with SIP over TLS."),
      UNICC_KEY(L, "media.srtp_required_extensions", media.srtp_required_extensions, anything<L>(),
                "Extensions whose calls must be SRTP whatever media.srtp says."),
      UNICC_KEY(S, "media.recordings_dir", media.recordings_dir, not_empty(),
                "Folder for call recordings (stereo WAV: caller left, callee right)."),
      UNICC_KEY(I, "media.recording_retention_days", media.recording_retention_days, in_range(0, 36500),
                "Days a call's recording is kept after the call ended; 0 keeps recordings forever. "
                "Recordings kept as typical cases are never deleted."),
      UNICC_KEY(S, "ivr.sounds_dir", ivr.sounds_dir, not_empty(),
                "Folder of the shipped sounds that flows' prompt files (\"file\": \"...\") are read from, "
                "when the prompt library (ivr.prompts_dir) has no file of that name."),
      UNICC_KEY(S, "ivr.prompts_dir", ivr.prompts_dir, not_empty(),
                "Folder of the prompt library: prompts and music uploaded in the console (8 kHz WAV), "
                "looked up before ivr.sounds_dir."),
      UNICC_KEY(S, "ivr.tts_cache_dir", ivr.tts_cache_dir, not_empty(),
                "Folder where text-to-speech renderings are kept (one file per text and voice)."),
      UNICC_KEY(S, "ivr.tts_command", ivr.tts_command, not_empty(),
                "The espeak-ng program that reads prompt text aloud."),
      UNICC_KEY(S, "ivr.voicemail_dir", ivr.voicemail_dir, not_empty(), "Folder for voicemail messages (mono WAV)."),
      UNICC_KEY(S, "ivr.tone_region", ivr.tone_region, one_of({"china", "europe", "us"}),
                "Whose ringback tone callers hear while the IVR connects them."),
      UNICC_KEY(L, "ivr.http_allow", ivr.http_allow, address_entries(true),
                "Non-public destinations flows' http nodes may reach: IP addresses, networks "
                "(\"10.1.2.0/24\") or host names (\"crm.example.com\"); loopback, link-local, private, "
                "multicast and other reserved addresses are refused unless listed."),
      UNICC_KEY(L, "outbound.international_prefixes", outbound.international_prefixes, anything<L>(),
                "Numbers (as sent to a trunk) starting with one of these are international calls."),
      UNICC_KEY(L, "outbound.premium_prefixes", outbound.premium_prefixes, anything<L>(),
                "Numbers (as sent to a trunk) starting with one of these are premium-rate calls."),
      UNICC_KEY(L, "outbound.international_callers", outbound.international_callers, anything<L>(),
                "Who may call international numbers: extensions, \"ivr\" (flows' transfers), \"callback\" "
                "or \"*\"; nobody by default."),
      UNICC_KEY(L, "outbound.premium_callers", outbound.premium_callers, anything<L>(),
                "Who may call premium-rate numbers (as outbound.international_callers); nobody by default."),
      UNICC_KEY(I, "outbound.calls_per_minute_per_caller", outbound.calls_per_minute_per_caller, in_range(1, 100000),
                "Calls through trunks one caller may start in any minute."),
      UNICC_KEY(I, "outbound.calls_per_minute", outbound.calls_per_minute, in_range(1, 1000000),
                "Calls through trunks the whole server may start in any minute."),
      UNICC_KEY(I, "outbound.concurrent_per_caller", outbound.concurrent_per_caller, in_range(1, 100000),
                "Calls through trunks one caller may have at once."),
      UNICC_KEY(I, "outbound.concurrent", outbound.concurrent, in_range(1, 1000000),
                "Calls through trunks the whole server may have at once."),
      UNICC_KEY(S, "outbound.caller_id", outbound.caller_id, digits(true),
                "The number customers see on calls agents place from the desktop (click-to-dial); \"\" = the "
                "agent's extension."),
      UNICC_KEY(S, "crm.country_code", crm.country_code, plain_digits(1, 3),
                "The country customers' phone numbers belong to: \"+CC\", \"00CC\" and (11 digits or more) "
                "\"CC\" before a number are dropped when numbers are matched."),
      UNICC_KEY(S, "crm.trunk_prefix", crm.trunk_prefix, plain_digits(0, 2),
                "The prefix dialled before national numbers in that country, dropped when numbers are matched; "
                "\"\" = none."),
      UNICC_KEY(S, "reports.time_zone", reports.time_zone, anything<std::string>(),
                "The time zone (an IANA name such as \"Asia/Shanghai\") whose days, weeks and months reports "
                "count in; \"\" = the server's local zone. An unknown name stops the start."),
      UNICC_KEY(I, "reports.short_abandon_s", reports.short_abandon_s, in_range(0, 3600),
                "Callers who hang up sooner than this many seconds in a queue are short abandons: reported apart, "
                "neither offered nor abandoned."),
      UNICC_KEY(S, "reports.sl_formula", reports.sl_formula,
                one_of({"answered", "answered_abandoned", "answered_late_abandoned", "offered"}),
                "The service-level formula of reports that name none (docs/metrics.md)."),
      UNICC_KEY(I, "reports.fcr_window_h", reports.fcr_window_h, in_range(1, 720),
                "First-contact resolution: a handled contact the same customer (CRM record, else caller number) "
                "contacts again within this many hours counts as not resolved."),
  };
  return all;
}

const std::vector<KeyRule<TrunkConfig>>& trunk_rules() {
  static const std::vector<KeyRule<TrunkConfig>> all = {
      key("trunk[].name", &TrunkConfig::name, not_empty(), "Name shown in CDRs and logs (required)."),
      key("trunk[].address", &TrunkConfig::address, not_empty(),
          "The carrier's IP address: calls from it arrive on this trunk; calls out go to it (required)."),
      key("trunk[].port", &TrunkConfig::port, in_range(1, 65535), "The carrier's SIP port."),
      key("trunk[].transport", &TrunkConfig::transport, one_of({"udp", "tcp", "tls"}),
          "Transport towards the carrier (tls needs sip.tls)."),
      key("trunk[].tls_name", &TrunkConfig::tls_name, anything<std::string>(),
          "For a TLS trunk: its requests count as this trunk's only when the carrier's certificate "
          "verifies against sip.tls_ca_file and names this host (subjectAltName DNS, else CN); "
          "\"\" = by address alone."),
      key("trunk[].srtp", &TrunkConfig::srtp, one_of({"", "off", "optional", "required"}),
          "SRTP towards this carrier (as media.srtp); \"\" = media.srtp."),
      key("trunk[].username", &TrunkConfig::username, anything<std::string>(),
          "Digest user: the carrier must authenticate with it, and we answer its challenges with it."),
      key("trunk[].password", &TrunkConfig::password, anything<std::string>(),
          "Digest password for `username`."),
      key("trunk[].outbound_prefix", &TrunkConfig::outbound_prefix, digits(true),
          "Numbers our phones dial with this prefix go out here, prefix removed; empty = none."),
      key("trunk[].register", &TrunkConfig::register_with_carrier, anything<bool>(),
          "REGISTER to the carrier (its address, port and transport) so it sends calls here; "
          "needs `username` and `password`."),
      key("trunk[].register_expires_s", &TrunkConfig::register_expires_s, in_range(60, 86400),
          "Registration lifetime asked for; refreshed before the carrier's granted expiry runs out."),
      key("trunk[].register_user", &TrunkConfig::register_user, anything<std::string>(),
          "User of the registered address sip:USER@address; empty = `username`."),
      key("trunk[].contact_user", &TrunkConfig::contact_user, anything<std::string>(),
          "User of our registered Contact, the number the carrier's calls arrive for; "
          "empty = the register user."),
  };
  return all;
}

const std::vector<KeyRule<DidConfig>>& did_rules() {
  static const std::vector<KeyRule<DidConfig>> all = {
      key("did[].numbers", &DidConfig::numbers, number_range(),
          "A dialled number or range, e.g. \"4000\" or \"4000-4099\" (required)."),
      key("did[].target", &DidConfig::target, digits(false),
          "Where those calls go: an extension (required)."),
  };
  return all;
}

// The keys of [[disposition]] or [[not_ready_reason]] (`table`), naming the list as `what`.
std::vector<KeyRule<CtiCode>> cti_code_rules(const std::string& table, const std::string& what) {
  return {
      key(table + "[].code", &CtiCode::code, code_name(),
          "The code stored and sent for " + what + ": 1-32 of a-z, 0-9, _ and -, unique in the list (required)."),
      key(table + "[].en", &CtiCode::en, label(true, 64), "Its label in English, up to 64 characters (required)."),
      key(table + "[].zh", &CtiCode::zh, label(false, 64),
          "Its label in Chinese (zh-CN), up to 64 characters; empty = the English label."),
  };
}

std::vector<KeyRule<CtiCode>> disposition_rules() { return cti_code_rules("disposition", "a wrap-up"); }
std::vector<KeyRule<CtiCode>> not_ready_reason_rules() {
  return cti_code_rules("not_ready_reason", "an agent's reason for not being ready");
}

#undef UNICC_KEY

std::string where(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line);
}

struct Problems {
  const std::string& source;
  std::vector<std::string> lines;
  void add(const toml::node& node, const std::string& name, const std::string& problem) {
    lines.push_back(where(source, node.source()) + ": " + name + ": " + problem);
  }
};

// Applies every key of `table` (named `prefix`) with `rules`, except the table
// arrays, which apply_array reads.
void apply_table(const toml::table& table, const std::string& prefix, const std::vector<KeyRule<Config>>& rules,
                 const std::vector<TableArray*>& arrays, Config& target, Problems& problems) {
  for (const auto& [key, node] : table) {
    std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (prefix.empty() && std::any_of(arrays.begin(), arrays.end(), [&](const TableArray* array) {
          return array->name() == name;
        })) {
      continue;
    }
    const KeyRule<Config>* rule = nullptr;
    bool section = false;
    for (const auto& r : rules) {
      if (r.info.name == name) rule = &r;
      if (r.info.name.rfind(name + ".", 0) == 0) section = true;
    }
    if (const auto* sub = node.as_table(); sub && section) {
      apply_table(*sub, name, rules, arrays, target, problems);
    } else if (!rule) {
      problems.add(node, name, node.is_table() ? "unknown section" : "unknown key");
    } else if (auto problem = rule->apply(value_of(node), target)) {
      problems.add(node, name, *problem);
    }
  }
}

// Reads a [[name]] array into `array`; each element must have the required keys.
void apply_array(const toml::node& node, TableArray& array, Problems& problems) {
  const std::string& name = array.name();
  const auto* elements = node.as_array();
  if (!elements || !elements->is_array_of_tables()) {
    problems.add(node, name, "expected [[" + name + "]] tables");
    return;
  }
  for (std::size_t i = 0; i < elements->size(); ++i) {
    const auto& element = *elements->get(i)->as_table();
    const std::string indexed = name + "[" + std::to_string(i + 1) + "].";
    array.add_element();
    for (const auto& [key, value] : element) {
      const std::string shown = indexed + std::string(key.str());
      auto problem = array.set(name + "[]." + std::string(key.str()), value_of(value));
      if (!problem) problems.add(value, shown, value.is_table() ? "unknown section" : "unknown key");
      else if (*problem) problems.add(value, shown, **problem);
    }
    for (const auto& key : array.required()) {
      if (!element.contains(key)) problems.add(*elements->get(i), indexed + key, "is required");
    }
  }
}

// A trunk that registers answers the carrier's challenges, so it needs credentials.
void check_trunk_registration(const toml::node& trunks, const std::vector<TrunkConfig>& configs, Problems& problems) {
  const auto& array = *trunks.as_array();
  for (std::size_t i = 0; i < configs.size(); ++i) {
    if (!configs[i].register_with_carrier) continue;
    const auto& element = *array.get(i)->as_table();
    std::string indexed = "trunk[" + std::to_string(i + 1) + "].";
    auto require = [&](const char* key, const std::string& value) {
      if (value.empty()) problems.add(*element.get("register"), indexed + key, "is required when register = true");
    };
    require("username", configs[i].username);
    require("password", configs[i].password);
  }
}

// A TLS trunk needs the TLS listener; one known by its certificate name, a CA to verify it.
void check_trunk_tls(const toml::node& trunks, const Config& config, Problems& problems) {
  const auto& array = *trunks.as_array();
  for (std::size_t i = 0; i < config.trunks.size(); ++i) {
    const TrunkConfig& trunk = config.trunks[i];
    const auto& element = *array.get(i)->as_table();
    std::string indexed = "trunk[" + std::to_string(i + 1) + "].";
    if (trunk.transport == "tls" && !config.sip.tls) {
      problems.add(*element.get("transport"), indexed + "transport", "\"tls\" needs sip.tls = true");
    }
    if (!trunk.tls_name.empty() && (trunk.transport != "tls" || config.sip.tls_ca_file.empty())) {
      problems.add(*element.get("tls_name"), indexed + "tls_name", "needs transport = \"tls\" and sip.tls_ca_file");
    }
  }
}

// The codes of one [[disposition]] or [[not_ready_reason]] list are unique; a code
// that failed its own check is reported there already.
void check_unique_codes(const toml::node& elements, const TableArray& array, const std::vector<CtiCode>& codes,
                        Problems& problems) {
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].code.empty()) continue;
    for (std::size_t earlier = 0; earlier < i; ++earlier) {
      if (codes[earlier].code != codes[i].code) continue;
      const auto& element = *elements.as_array()->get(i)->as_table();
      problems.add(*element.get("code"), array.name() + "[" + std::to_string(i + 1) + "].code",
                   "\"" + codes[i].code + "\" is already the code of " + array.name() + "[" +
                       std::to_string(earlier + 1) + "]");
      break;
    }
  }
}

// A list the file gives replaces the defaults; a label without Chinese shows the English.
void use_codes(std::vector<CtiCode>& read, std::vector<CtiCode>& list) {
  if (read.empty()) return;
  for (auto& code : read) {
    if (code.zh.empty()) code.zh = code.en;
  }
  list = std::move(read);
}

void check_consistency(const toml::table& table, const Config& config, Problems& problems) {
  if (config.media.rtp_port_min >= config.media.rtp_port_max) {
    problems.add(*table.get("media"), "media.rtp_port_min", "must be below media.rtp_port_max");
  }
  if (config.http.tls_certificate.empty() != config.http.tls_private_key.empty()) {
    problems.add(*table.get("http"), config.http.tls_certificate.empty() ? "http.tls_private_key" : "http.tls_certificate",
                 "needs both http.tls_certificate and http.tls_private_key");
  }
  if (config.sip.tls_verify_client && config.sip.tls_ca_file.empty()) {
    problems.add(*table.get("sip"), "sip.tls_verify_client", "needs sip.tls_ca_file");
  }
  if (config.sip.registration_min_expires_s > config.sip.registration_max_expires_s) {
    problems.add(*table.get("sip"), "sip.registration_min_expires_s", "must not exceed sip.registration_max_expires_s");
  }
  if (const auto* trunks = table.get("trunk")) {
    check_trunk_registration(*trunks, config.trunks, problems);
    check_trunk_tls(*trunks, config, problems);
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

}  // namespace

std::vector<CtiCode> default_dispositions() {
  return {{"resolved", "Resolved", "已解决"},     {"follow_up", "Follow-up needed", "需跟进"},
          {"callback", "Call back", "需回电"},     {"complaint", "Complaint", "投诉"},
          {"sales", "Sales opportunity", "销售机会"}, {"wrong_number", "Wrong number", "打错电话"},
          {"other", "Other", "其他"}};
}

std::vector<CtiCode> default_not_ready_reasons() {
  return {{"break", "Break", "休息"},       {"lunch", "Lunch", "午餐"},
          {"meeting", "Meeting", "会议"},   {"training", "Training", "培训"},
          {"after_call_work", "After-call work", "话后处理"}, {"other", "Other", "其他"}};
}

namespace {

bool lists(const std::vector<CtiCode>& codes, std::string_view code) {
  return std::any_of(codes.begin(), codes.end(), [code](const CtiCode& known) { return known.code == code; });
}

}  // namespace

bool CtiConfig::has_disposition(std::string_view code) const { return lists(dispositions, code); }
bool CtiConfig::has_not_ready_reason(std::string_view code) const { return lists(not_ready_reasons, code); }

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

Config parse_config(const std::string& text, const std::string& source, const std::vector<TableArray*>& tables) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw ConfigError({where(source, error.source()) + ": " + std::string(error.description())});
  }
  Config config;
  Problems problems{source, {}};
  TableArrayOf<TrunkConfig> trunks("trunk", {"name", "address"}, trunk_rules());
  TableArrayOf<DidConfig> dids("did", {"numbers", "target"}, did_rules());
  TableArrayOf<CtiCode> dispositions("disposition", {"code", "en"}, disposition_rules());
  TableArrayOf<CtiCode> not_ready_reasons("not_ready_reason", {"code", "en"}, not_ready_reason_rules());
  std::vector<TableArray*> arrays = {&trunks, &dids, &dispositions, &not_ready_reasons};
  arrays.insert(arrays.end(), tables.begin(), tables.end());
  for (TableArray* array : arrays) {
    if (const auto* node = table.get(array->name())) apply_array(*node, *array, problems);
  }
  for (auto* codes : {&dispositions, &not_ready_reasons}) {
    if (const auto* node = table.get(codes->name()); node && node->is_array_of_tables()) {
      check_unique_codes(*node, *codes, codes->items, problems);
    }
  }
  config.trunks = std::move(trunks.items);
  config.dids = std::move(dids.items);
  use_codes(dispositions.items, config.cti.dispositions);
  use_codes(not_ready_reasons.items, config.cti.not_ready_reasons);
  apply_table(table, "", config_rules(), arrays, config, problems);
  if (problems.lines.empty()) check_consistency(table, config, problems);
  if (!problems.lines.empty()) {
    // toml++ walks keys in name order; people read files top to bottom.
    auto line_of = [&](const std::string& problem) { return std::stoi(problem.substr(source.size() + 1)); };
    std::stable_sort(problems.lines.begin(), problems.lines.end(),
                     [&](const auto& a, const auto& b) { return line_of(a) < line_of(b); });
    throw ConfigError(std::move(problems.lines));
  }
  return config;
}

Config load_config(const std::string& path, const std::vector<TableArray*>& tables) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path + ": cannot be read"});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path, tables);
}

namespace {

const KeyRule<Config>* config_rule(std::string_view name) {
  for (const auto& rule : config_rules()) {
    if (rule.info.name == name) return &rule;
  }
  return nullptr;
}

}  // namespace

ConfigProblem set_config_value(Config& config, std::string_view name, const ConfigValue& value) {
  const KeyRule<Config>* rule = config_rule(name);
  if (!rule) return "unknown key";
  return rule->apply(value, config);
}

std::optional<ConfigValue> config_value(const Config& config, std::string_view name) {
  const KeyRule<Config>* rule = config_rule(name);
  if (!rule || !rule->read) return std::nullopt;
  return rule->read(config);
}

std::optional<ConfigKey> config_key(std::string_view name) {
  const KeyRule<Config>* rule = config_rule(name);
  if (!rule) return std::nullopt;
  return rule->info;
}

const std::vector<ConfigKey>& config_keys() {
  static const std::vector<ConfigKey> keys = [] {
    std::vector<ConfigKey> out;
    for (const auto& rule : config_rules()) out.push_back(rule.info);
    for (const auto& rule : trunk_rules()) out.push_back(rule.info);
    for (const auto& rule : did_rules()) out.push_back(rule.info);
    for (const auto& rule : disposition_rules()) out.push_back(rule.info);
    for (const auto& rule : not_ready_reason_rules()) out.push_back(rule.info);
    return out;
  }();
  return keys;
}

}  // namespace unicc::core
