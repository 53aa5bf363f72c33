#include "sip/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

#include "core/random.h"
#include "core/text.h"

namespace unicc::sip {
namespace {

// Each entry is a nonce a phone used in the last nonce_lifetime; far above any
// legitimate rate (330 authentications/s for 300 s), and a bound on memory.
constexpr std::size_t kMaxRememberedNonces = 100'000;

std::string hash(DigestAlgorithm algorithm, std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, algorithm == DigestAlgorithm::kMd5 ? EVP_md5() : EVP_sha256(),
             nullptr);
  return core::to_hex(digest, size);
}

std::optional<DigestAlgorithm> parse_algorithm(std::optional<std::string_view> name) {
  if (!name || name->empty() || *name == "MD5" || *name == "md5") return DigestAlgorithm::kMd5;
  if (*name == "SHA-256" || *name == "sha-256") return DigestAlgorithm::kSha256;
  return std::nullopt;
}

std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) {
    if (!out.empty()) out += ':';
    out += part;
  }
  return out;
}

// RFC 2617 §3.2.2.1 (with qop=auth, or the RFC 2069 form without qop).
std::string expected_response(DigestAlgorithm algorithm, std::string_view ha1, std::string_view nonce,
                              std::string_view nc, std::string_view cnonce, std::string_view qop,
                              std::string_view method, std::string_view uri) {
  std::string ha2 = hash(algorithm, join({method, uri}));
  if (qop.empty()) return hash(algorithm, join({ha1, nonce, ha2}));
  return hash(algorithm, join({ha1, nonce, nc, cnonce, qop, ha2}));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password) {
  return hash(algorithm, join({user, realm, password}));
}

std::optional<std::vector<DigestAlgorithm>> parse_digest_algorithms(std::string_view text) {
  std::vector<DigestAlgorithm> out;
  bool known = true;
  core::for_each_item(text, ',', [&](std::string_view name) {
    if (name == "md5") {
      out.push_back(DigestAlgorithm::kMd5);
    } else if (name == "sha-256") {
      out.push_back(DigestAlgorithm::kSha256);
    } else {
      known = false;
    }
  });
  if (!known || out.empty() || (out.size() == 2 && out[0] == out[1]) || out.size() > 2) return std::nullopt;
  return out;
}

DigestAuthenticator::DigestAuthenticator(std::string realm, const core::Clock& clock,
                                         std::vector<DigestAlgorithm> offered, std::chrono::seconds nonce_lifetime,
                                         BanList* bans)
    : realm_(std::move(realm)),
      clock_(clock),
      offered_(std::move(offered)),
      nonce_lifetime_(nonce_lifetime),
      secret_(core::random_hex(32)),
      bans_(bans) {}

// "<ms>.<serial>.<mac>": the serial makes two challenges of the same millisecond
// differ, so each may be used once.
std::string DigestAuthenticator::make_nonce(std::int64_t at_ms, std::uint64_t serial) const {
  std::string stamp = std::to_string(at_ms) + "." + std::to_string(serial);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(stamp.data()), stamp.size(), mac, &size);
  return stamp + "." + core::to_hex(mac, 16);
}

std::optional<std::int64_t> DigestAuthenticator::nonce_time(std::string_view nonce) const {
  auto first_dot = nonce.find('.');
  auto second_dot = first_dot == std::string_view::npos ? first_dot : nonce.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos) return std::nullopt;
  std::int64_t at = 0;
  std::uint64_t serial = 0;
  auto [at_end, at_ec] = std::from_chars(nonce.data(), nonce.data() + first_dot, at);
  auto [serial_end, serial_ec] = std::from_chars(nonce.data() + first_dot + 1, nonce.data() + second_dot, serial);
  if (at_ec != std::errc() || at_end != nonce.data() + first_dot) return std::nullopt;
  if (serial_ec != std::errc() || serial_end != nonce.data() + second_dot) return std::nullopt;
  if (!constant_time_equal(make_nonce(at, serial), nonce)) return std::nullopt;
  return at;
}

DigestAuthenticator::Verdict DigestAuthenticator::check_fresh(std::string_view nonce, std::int64_t issued,
                                                              std::string_view qop, std::string_view nc) {
  const std::int64_t now = clock_.now_ms();
  if (now - issued > nonce_lifetime_.count() || issued <= forgotten_until_ms_) return Verdict::kStale;
  // Nonces past their lifetime are refused above, so they need not be remembered.
  while (!used_nonces_.empty() && now - used_nonces_.begin()->first.first > nonce_lifetime_.count()) {
    used_nonces_.erase(used_nonces_.begin());
  }
  std::uint32_t count = 0;
  if (!qop.empty()) {
    auto [end, ec] = std::from_chars(nc.data(), nc.data() + nc.size(), count, 16);
    if (ec != std::errc() || end != nc.data() + nc.size() || nc.size() != 8 || count == 0) return Verdict::kWrong;
  }
  auto [it, inserted] = used_nonces_.try_emplace({issued, std::string(nonce)}, count);
  if (!inserted) {
    if (qop.empty() || count <= it->second) return Verdict::kStale;  // replayed
    it->second = count;
  }
  if (used_nonces_.size() > kMaxRememberedNonces) {
    forgotten_until_ms_ = used_nonces_.begin()->first.first;
    used_nonces_.erase(used_nonces_.begin());
  }
  return Verdict::kOk;
}

DigestAuthenticator::Outcome DigestAuthenticator::report(Outcome outcome, std::string_view source) {
  if (!bans_) return outcome;
  if (outcome.verdict == Verdict::kOk) bans_->record_success(source, outcome.username);
  if (outcome.verdict == Verdict::kWrong || outcome.verdict == Verdict::kUnknownUser) {
    bans_->record_failure(source, outcome.username);
  }
  return outcome;
}

std::vector<std::string> DigestAuthenticator::challenges(bool stale) const {
  std::string nonce = make_nonce(clock_.now_ms(), next_serial_++);
  std::string common = "realm=\"" + realm_ + "\", nonce=\"" + nonce + "\", qop=\"auth\"" +
                       (stale ? ", stale=true" : "");
  std::vector<std::string> out;
  for (auto algorithm : offered_) {
    out.push_back("Digest " + common + ", algorithm=" + (algorithm == DigestAlgorithm::kMd5 ? "MD5" : "SHA-256"));
  }
  return out;
}

DigestAuthenticator::Outcome DigestAuthenticator::verify(const Message& request, std::string_view source,
                                                         const Ha1Lookup& ha1_for, std::string_view header) {
  Outcome outcome;
  bool saw_ours = false;
  for (auto value : request.header_values(header)) {
    auto credentials = AuthHeader::parse(value);
    if (!credentials || credentials->scheme != "Digest") continue;
    if (credentials->param("realm").value_or("") != realm_) continue;  // meant for another realm
    saw_ours = true;
    auto algorithm = parse_algorithm(credentials->param("algorithm"));
    auto user = credentials->param("username").value_or("");
    auto nonce = credentials->param("nonce").value_or("");
    auto response = credentials->param("response").value_or("");
    auto uri = credentials->param("uri").value_or("");
    auto qop = credentials->param("qop").value_or("");
    auto nc = credentials->param("nc").value_or("");
    if (!algorithm || user.empty() || response.empty() || (qop != "" && qop != "auth")) continue;
    outcome.username = std::string(user);
    if (bans_ && bans_->user_banned_from(user, source)) {
      outcome.verdict = Verdict::kBanned;
      return outcome;
    }
    auto ha1 = ha1_for(user, *algorithm);
    if (!ha1) {
      outcome.verdict = Verdict::kUnknownUser;
      continue;
    }
    auto expected = expected_response(*algorithm, *ha1, nonce, nc, credentials->param("cnonce").value_or(""), qop,
                                      request.method(), uri);
    // Credentials made for another Request-URI are a replay, not a phone's mistake.
    if (!constant_time_equal(expected, response) || uri != request.request_uri_text()) {
      outcome.verdict = Verdict::kWrong;
      continue;
    }
    auto issued = nonce_time(nonce);
    // Right password, a nonce we did not issue (e.g. before a restart): stale.
    outcome.verdict = issued ? check_fresh(nonce, *issued, qop, nc) : Verdict::kStale;
    if (outcome.verdict == Verdict::kOk) return report(outcome, source);
  }
  if (!saw_ours) outcome.verdict = Verdict::kMissing;
  return report(outcome, source);
}

std::optional<std::string> DigestAuthenticator::answer(const AuthHeader& challenge, std::string_view method,
                                                       std::string_view uri, std::string_view user,
                                                       std::string_view password, std::string_view cnonce) {
  if (challenge.scheme != "Digest") return std::nullopt;
  auto algorithm = parse_algorithm(challenge.param("algorithm"));
  if (!algorithm) return std::nullopt;
  std::string realm(challenge.param("realm").value_or(""));
  std::string nonce(challenge.param("nonce").value_or(""));
  // qop may offer several options ("auth,auth-int"); we only do "auth".
  std::string_view offered = challenge.param("qop").value_or("");
  std::string qop = offered.find("auth") != std::string_view::npos ? "auth" : "";
  std::string nc = "00000001";
  std::string ha1 = digest_ha1(*algorithm, user, realm, password);
  std::string response = expected_response(*algorithm, ha1, nonce, nc, cnonce, qop, method, uri);
  std::string out = "Digest username=\"" + std::string(user) + "\", realm=\"" + realm + "\", nonce=\"" + nonce +
                    "\", uri=\"" + std::string(uri) + "\", response=\"" + response + "\", algorithm=" +
                    (*algorithm == DigestAlgorithm::kMd5 ? "MD5" : "SHA-256");
  if (!qop.empty()) out += ", qop=auth, nc=" + nc + ", cnonce=\"" + std::string(cnonce) + "\"";
  if (auto opaque = challenge.param("opaque")) out += ", opaque=\"" + std::string(*opaque) + "\"";
  return out;
}

}  // namespace unicc::sip
