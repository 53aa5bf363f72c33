#pragma once
// core::Config — the server's settings, read from one TOML file.
//
// Every key has a default, so an empty file is a valid configuration. Loading
// rejects unknown sections and keys, wrong types and out-of-range values; each
// problem names the file, the line and the dotted key. config_keys() lists every
// key with its default and meaning (docs/configuration.md must match it). The
// sections that modules above core own (the ACD's [[queue]] and [[agent]]) are read
// in the same pass through core::TableArray (core/config_rules.h).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace unicc::core {

struct HttpConfig {
  std::string address = "127.0.0.1";
  std::int64_t port = 8080;
  std::int64_t threads = 2;
  std::int64_t max_body_bytes = 1 << 20;
  std::string web_root = "web/dist";
  std::int64_t shutdown_grace_ms = 10000;
  // HTTPS when both are set (PEM files, re-read when they change).
  std::string tls_certificate;
  std::string tls_private_key;
  // Reverse proxies whose X-Forwarded-For names the client (core::AddressList entries).
  std::vector<std::string> trusted_proxies;
};

struct DatabaseConfig {
  std::string url = "sqlite:var/unicc.db";
  std::int64_t pool_size = 4;
  std::int64_t writer_batch_max = 500;
  std::int64_t writer_queue_max = 100000;
  std::string sqlite_synchronous = "normal";  // "normal" | "full"
};

struct LogConfig {
  std::string level = "info";
  std::string format = "text";
};

struct AuthConfig {
  std::int64_t token_ttl_s = 12 * 3600;
  std::int64_t login_failures_per_user = 5;
  std::int64_t login_failures_per_address = 20;
  std::int64_t login_window_s = 300;
  // Networks (core::AddressList entries) whose logins are never throttled.
  std::vector<std::string> trusted_networks;
};

struct SipConfig {
  std::string address = "127.0.0.1";
  std::int64_t port = 5060;
  bool udp = true;
  bool tcp = true;
  std::string realm = "unicc";
  std::string digest_algorithms = "md5";
  // Address written into Via, Contact and SDP when peers must reach us at another
  // address than the one we listen on (NAT); empty = `address`.
  std::string public_address;
  std::int64_t registration_min_expires_s = 60;
  std::int64_t registration_max_expires_s = 3600;
  std::int64_t ring_timeout_s = 60;
  // SIP over TCP: bounds on connections (see sip::TransportSettings).
  std::int64_t tcp_message_timeout_s = 30;
  std::int64_t tcp_idle_timeout_s = 300;
  std::int64_t tcp_max_connections = 1024;
  std::int64_t tcp_max_connections_per_address = 32;
  // SIP over TLS (sip::TransportSettings): certificate files, reloaded when they change.
  bool tls = false;
  std::int64_t tls_port = 5061;
  std::string tls_certificate;
  std::string tls_private_key;
  std::string tls_ca_file;
  bool tls_verify_client = false;
  // fail2ban for digest authentication (sip::BanList).
  std::int64_t ban_failures_per_address = 20;
  std::int64_t ban_failures_per_user = 50;
  std::int64_t ban_window_s = 600;
  std::int64_t ban_duration_s = 3600;
};

struct MediaConfig {
  std::string address = "127.0.0.1";
  std::int64_t rtp_port_min = 20000;
  std::int64_t rtp_port_max = 30000;
  std::string latching = "symmetric";  // "symmetric" or "strict" (media::Latching)
  std::int64_t rtp_timeout_s = 60;
  std::int64_t rtp_threads = 0;
  std::int64_t rtp_nice = -10;
  bool record_calls = true;
  std::string recordings_dir = "var/recordings";
  std::int64_t recording_retention_days = 0;  // 0 = keep forever
  // SRTP by SDES (call::SrtpPolicy): "off", "optional" or "required", and the
  // extensions that require it whatever `srtp` says.
  std::string srtp = "optional";
  std::vector<std::string> srtp_required_extensions;
};

// A SIP trunk to a carrier or PBX ([[trunk]] tables).
struct TrunkConfig {
  std::string name;
  std::string address;  // the carrier's IP: inbound calls from it are this trunk's
  std::int64_t port = 5060;
  std::string transport = "udp";
  // A TLS trunk's identity: inbound requests are this trunk's only when the peer's
  // certificate verifies against sip.tls_ca_file and carries this name; "" = by address.
  std::string tls_name;
  // SRTP towards this carrier: "off", "optional", "required"; "" = media.srtp.
  std::string srtp;
  // When set, the carrier must authenticate its INVITEs with these (inbound by
  // digest), and our INVITEs answer its challenges with them.
  std::string username;
  std::string password;
  // Numbers dialled by our phones that start with this prefix leave through this
  // trunk, prefix removed; empty = no outbound calls through it.
  std::string outbound_prefix;
  // Outbound registration: we REGISTER sip:register_user@address at the carrier
  // (address, port, transport) with username/password, so it sends calls to our
  // Contact sip:contact_user@us. Empty users fall back to username / register_user.
  bool register_with_carrier = false;
  std::int64_t register_expires_s = 3600;
  std::string register_user;
  std::string contact_user;
};

// Numbers that reach us ([[did]] tables): one number or a range "4000-4099".
struct DidConfig {
  std::string numbers;
  std::string target;  // an extension, e.g. "1001"
};

struct IvrConfig {
  std::string sounds_dir = "share/sounds";
  std::string prompts_dir = "var/prompts";
  std::string tts_cache_dir = "var/tts";
  std::string tts_command = "espeak-ng";
  std::string voicemail_dir = "var/recordings/voicemail";
  std::string tone_region = "china";
  // Non-public destinations (core::AddressList entries, host names too) that flows'
  // http nodes may reach; public addresses need no entry.
  std::vector<std::string> http_allow;
};

// Toll-fraud limits for calls through trunks (call::OutboundGuard). Callers are
// extensions, "ivr" (a flow's transfer) or "callback"; "*" in a list means everyone.
struct OutboundConfig {
  std::vector<std::string> international_prefixes = {"00", "+"};
  std::vector<std::string> premium_prefixes = {"900", "1900"};
  std::vector<std::string> international_callers;
  std::vector<std::string> premium_callers;
  std::int64_t calls_per_minute_per_caller = 10;
  std::int64_t calls_per_minute = 120;
  std::int64_t concurrent_per_caller = 4;
  std::int64_t concurrent = 60;
  // The number customers see on calls agents place from the desktop (click-to-dial);
  // "" = the agent's extension, as when their phone dials out itself.
  std::string caller_id;
};

// How customers' phone numbers are read (crm::PhoneNormalizer): the country they are
// national numbers of, and the prefix dialled before national numbers there.
struct CrmConfig {
  std::string country_code = "86";
  std::string trunk_prefix = "0";
};

// A code agents pick from a list — a wrap-up's disposition, a reason for not being
// ready — with its label in English and Chinese (the web app's languages).
struct CtiCode {
  std::string code;  // 1-32 of a-z 0-9 _ -; unique in its list
  std::string en;
  std::string zh;    // en when the file gives none
};

std::vector<CtiCode> default_dispositions();
std::vector<CtiCode> default_not_ready_reasons();

// The agent desktop's code lists ([[disposition]] and [[not_ready_reason]] tables);
// a list the file does not give keeps its defaults.
struct CtiConfig {
  std::vector<CtiCode> dispositions = default_dispositions();
  std::vector<CtiCode> not_ready_reasons = default_not_ready_reasons();

  // Whether a wrap-up or a state change names a code of the lists.
  bool has_disposition(std::string_view code) const;
  bool has_not_ready_reason(std::string_view code) const;
};

// The reports (docs/metrics.md): whose calendar their days are, which abandons are
// too short to count, and the service-level formula when a request names none.
struct ReportsConfig {
  std::string time_zone;  // an IANA name ("Asia/Shanghai"); "" = the server's local zone
  std::int64_t short_abandon_s = 5;
  std::string sl_formula = "answered_late_abandoned";
  // First-contact resolution: a contact the same customer follows within this many
  // hours was not resolved at the first contact.
  std::int64_t fcr_window_h = 24;
};

struct Config {
  HttpConfig http;
  DatabaseConfig database;
  LogConfig log;
  AuthConfig auth;
  SipConfig sip;
  MediaConfig media;
  IvrConfig ivr;
  OutboundConfig outbound;
  CrmConfig crm;
  CtiConfig cti;
  ReportsConfig reports;
  std::vector<TrunkConfig> trunks;
  std::vector<DidConfig> dids;
};

// Raised when a file cannot be read or holds invalid settings; what() lists every
// problem, one per line, as "FILE:LINE: KEY: problem".
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

class TableArray;  // core/config_rules.h

// Parses TOML text; `source` names it in error messages. `tables` are the [[name]]
// arrays modules above core read (their elements end up in them); any other
// section or key is a problem.
Config parse_config(const std::string& text, const std::string& source, const std::vector<TableArray*>& tables = {});
// Reads and parses a file.
Config load_config(const std::string& path, const std::vector<TableArray*>& tables = {});

struct ConfigKey {
  std::string name;           // dotted, e.g. "http.port"; "trunk[].port" for table arrays
  std::string default_value;  // as it would be written in TOML
  std::string meaning;
};
// core's own keys; a TableArray lists its module's.
const std::vector<ConfigKey>& config_keys();

}  // namespace unicc::core
