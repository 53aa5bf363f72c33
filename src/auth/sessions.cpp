#include "auth/sessions.h"

#include "auth/passwords.h"
#include "core/random.h"

namespace unicc::auth {
namespace {

// Verifying against a real hash when the user does not exist keeps the answer time
// the same, so response timing does not reveal which user names exist.
const std::string& decoy_hash() {
  static const std::string hash = hash_password(core::random_hex(16));
  return hash;
}

}  // namespace

LoginResult Sessions::login(const std::string& username, const std::string& password, const std::string& source) {
  LoginResult result;
  if (std::int64_t wait = throttle_.retry_after_s(username, source); wait > 0) {
    result.outcome = LoginOutcome::throttled;
    result.retry_after_s = wait;
    return result;
  }
  auto found = users_.find_with_hash(username);
  bool password_ok = verify_password(found ? found->second : decoy_hash(), password);
  if (!found || !password_ok || found->first.disabled) {
    throttle_.record_failure(username, source);
    return result;
  }
  throttle_.record_success(username, source);
  result.outcome = LoginOutcome::ok;
  result.user = found->first;
  result.token = core::random_hex(32);
  std::int64_t now = clock_.now_ms();
  result.expires_at = now + token_ttl_ms_;
  std::string token_hash = core::sha256_hex(result.token);
  soci::session sql(db_.pool());
  sql << "DELETE FROM sessions WHERE expires_at <= :now", soci::use(now);
  sql << "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, source)"
         " VALUES (:h, :u, :c, :e, :s)",
      soci::use(token_hash), soci::use(result.user.id), soci::use(now), soci::use(result.expires_at),
      soci::use(source);
  return result;
}

std::optional<Principal> Sessions::authenticate(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  std::string token_hash = core::sha256_hex(token);
  std::int64_t now = clock_.now_ms();
  soci::session sql(db_.pool());
  long long user_id = 0;
  std::string username, role, extension;
  soci::indicator found = soci::i_null, has_extension = soci::i_null;
  sql << "SELECT u.id, u.username, u.role, u.extension FROM sessions s JOIN users u ON u.id = s.user_id"
         " WHERE s.token_hash = :h AND s.expires_at > :now AND u.disabled = 0",
      soci::use(token_hash), soci::use(now), soci::into(user_id, found), soci::into(username), soci::into(role),
      soci::into(extension, has_extension);
  if (sql.got_data() && found == soci::i_ok) {
    return Principal{user_id, username, parse_role(role).value_or(Role::agent),
                     has_extension == soci::i_ok ? extension : ""};
  }
  return std::nullopt;
}

void Sessions::logout(const std::string& token) {
  std::string token_hash = core::sha256_hex(token);
  soci::session sql(db_.pool());
  sql << "DELETE FROM sessions WHERE token_hash = :h", soci::use(token_hash);
}

}  // namespace unicc::auth
