#pragma once
// sip::DigestAuthenticator — HTTP Digest for SIP (RFC 3261 §22, RFC 8760 for
// SHA-256) as the server side (phones, inbound trunks) and as the client side
// (answering a carrier's challenge).
//
// Nonces are a timestamp and a counter sealed with an HMAC under a per-process
// secret, so any request carrying one we issued within `nonce_lifetime` is
// accepted and an older one is answered "stale" (the phone retries without
// asking its user). Credentials cannot be replayed: the `uri` they were made for
// must be the request's Request-URI, and each accepted nonce is remembered with
// its highest nonce count (qop=auth: a phone reusing a nonce counts up) or as used
// (no qop: single use); a replay is answered as stale, so it earns only a fresh
// challenge. Outcomes are reported to the BanList, if given: failures count towards
// a ban, and a banned user gets kBanned. Secrets are never stored: accounts keep HA1 =
// H(user:realm:password) per algorithm. Challenges offer the configured
// algorithms in order (MD5 alone by default: SIPp and older phones know only MD5,
// and some — Debian 12's baresip — give up when any challenge is not MD5);
// answers with either algorithm are verified.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "sip/auth_header.h"
#include "sip/ban_list.h"
#include "sip/message.h"

namespace unicc::sip {

enum class DigestAlgorithm : std::uint8_t { kMd5, kSha256 };

// "md5", "sha-256", or both comma-separated in order of preference; nothing for
// any other text.
std::optional<std::vector<DigestAlgorithm>> parse_digest_algorithms(std::string_view text);

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password);

class DigestAuthenticator {
 public:
  DigestAuthenticator(std::string realm, const core::Clock& clock,
                      std::vector<DigestAlgorithm> offered = {DigestAlgorithm::kMd5},
                      std::chrono::seconds nonce_lifetime = std::chrono::seconds(300), BanList* bans = nullptr);

  const std::string& realm() const { return realm_; }

  // WWW-Authenticate (or Proxy-Authenticate) values for a 401/407.
  std::vector<std::string> challenges(bool stale = false) const;

  // kBanned: the user is banned from this source (BanList), credentials unchecked.
  enum class Verdict { kOk, kMissing, kStale, kWrong, kUnknownUser, kBanned };
  struct Outcome {
    Verdict verdict = Verdict::kMissing;
    std::string username;
  };
  // Stored HA1 for (user, algorithm), or nothing for an unknown user.
  using Ha1Lookup = std::function<std::optional<std::string>(std::string_view user, DigestAlgorithm algorithm)>;

  // Checks the request's Authorization (or `header`) credentials for our realm;
  // `source` is the address the request came from (for bans). Single-threaded
  // (the SIP thread): accepted nonces are remembered.
  Outcome verify(const Message& request, std::string_view source, const Ha1Lookup& ha1_for,
                 std::string_view header = "Authorization");

  // The Authorization value answering `challenge` (client side), or nothing when
  // the challenge is not a Digest we support.
  static std::optional<std::string> answer(const AuthHeader& challenge, std::string_view method,
                                           std::string_view uri, std::string_view user, std::string_view password,
                                           std::string_view cnonce);

 private:
  std::string make_nonce(std::int64_t at_ms, std::uint64_t serial) const;
  std::optional<std::int64_t> nonce_time(std::string_view nonce) const;
  Verdict check_fresh(std::string_view nonce, std::int64_t issued, std::string_view qop, std::string_view nc);
  Outcome report(Outcome outcome, std::string_view source);

  std::string realm_;
  const core::Clock& clock_;
  std::vector<DigestAlgorithm> offered_;
  std::chrono::milliseconds nonce_lifetime_;
  std::string secret_;
  BanList* bans_;
  mutable std::uint64_t next_serial_ = 0;
  // Accepted nonces by (issue time, nonce): the highest nc seen (0 without qop).
  std::map<std::pair<std::int64_t, std::string>, std::uint32_t> used_nonces_;
  // Nonces issued at or before this were forgotten to bound memory: stale.
  std::int64_t forgotten_until_ms_ = -1;
};

}  // namespace unicc::sip
