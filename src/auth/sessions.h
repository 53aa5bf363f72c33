#pragma once
// auth::Sessions — logging in and bearer tokens.
//
// login() checks the throttle, then the password; a success returns a random token
// whose SHA-256 (never the token) is stored with an expiry, so tokens survive a
// restart and a stolen database reveals none. authenticate() maps a token back to
// the user, refusing expired tokens and disabled users.
//
// Thread-safe: its only state is the token lifetime, an atomic (tokens live in the
// database, each call takes its own pooled connection; the throttle locks itself), so every HTTP thread
// shares one Sessions. Calls wait on the database: never from the SIP thread.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "auth/login_throttle.h"
#include "auth/users.h"

namespace unicc::auth {

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  Role role = Role::agent;
  std::string extension;  // the phone the user answers calls on; "" for none
};

enum class LoginOutcome { ok, bad_credentials, throttled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::bad_credentials;
  std::string token;
  std::int64_t expires_at = 0;  // ms since epoch
  User user;
  std::int64_t retry_after_s = 0;  // when throttled
};

class Sessions {
 public:
  Sessions(store::Database& db, Users& users, LoginThrottle& throttle, const core::Clock& clock,
           std::int64_t token_ttl_s)
      : db_(db), users_(users), throttle_(throttle), clock_(clock), token_ttl_ms_(token_ttl_s * 1000) {}

  LoginResult login(const std::string& username, const std::string& password, const std::string& source);
  std::optional<Principal> authenticate(const std::string& token);
  void logout(const std::string& token);
  // The lifetime of the tokens given from now on (the console's run-time settings).
  void set_token_ttl_s(std::int64_t token_ttl_s) { token_ttl_ms_ = token_ttl_s * 1000; }

 private:
  store::Database& db_;
  Users& users_;
  LoginThrottle& throttle_;
  const core::Clock& clock_;
  std::atomic<std::int64_t> token_ttl_ms_;
};

}  // namespace unicc::auth
