#pragma once
// auth::Users — the people who use unicc and their roles.
//
// Roles, from most to least powerful: admin (everything), supervisor (queues,
// agents, monitoring), qa (quality scoring), agent (own calls). A user name is
// unique, 1–64 characters of letters, digits, '.', '_', '-' or '@'.
//
// A user's extension is the SIP account (table sip_accounts) they answer calls on:
// 2–16 digits, at most one user's. Agents must have one; the other roles may.
//
// Passwords must be strong (password_problem): at least 10 characters, at least 5
// different ones, not a keyboard or alphabet run, not a well-known password, not
// the user name, and not one of the --demo passwords. Only the --demo seeding
// creates accounts with PasswordRule::demo, which merely needs 8 characters.
//
// Thread-safe: Users holds no state but its database, and each call takes its own
// pooled connection. Calls wait on the database: never from the SIP thread.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace unicc::auth {

enum class Role { agent, qa, supervisor, admin };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::agent;
  std::string extension;  // "" = none
  bool disabled = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// Raised for requests that break the rules above; `code` is machine-readable
// ("invalid_username", "weak_password", "username_taken", "not_found", "invalid_field"
// for an extension that breaks the rules, "extension_taken").
class UserError : public std::runtime_error {
 public:
  UserError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct UserChanges {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::string> password;
  std::optional<bool> disabled;
  std::optional<std::string> extension;  // "" removes it

  // A new password, a lock-out, a change of rights or of the extension (the
  // phone a desktop works with) ends the user's sessions.
  bool ends_sessions() const { return password || disabled.value_or(false) || role || extension; }
};

enum class PasswordRule { strong, demo };

// Why `password` is not acceptable for `username` under `rule`; "" when it is.
std::string password_problem(const std::string& username, const std::string& password,
                             PasswordRule rule = PasswordRule::strong);

class Users {
 public:
  Users(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  User create(const std::string& username, const std::string& display_name, Role role, const std::string& extension,
              const std::string& password, PasswordRule rule = PasswordRule::strong);
  // Applies the changes; throws UserError("not_found") for an unknown id.
  User update(std::int64_t id, const UserChanges& changes);
  std::optional<User> find(std::int64_t id);
  std::optional<User> find_by_name(const std::string& username);
  // The stored hash for `username`, if such a user exists.
  std::optional<std::pair<User, std::string>> find_with_hash(const std::string& username);
  std::vector<User> list(std::int64_t limit, std::int64_t offset);
  std::int64_t count();

 private:
  // Writes `changes` to `user`'s row (and to `user`) in one transaction, which is
  // rolled back by the time update() asks why a statement failed.
  void apply_changes(soci::session& sql, User& user, const UserChanges& changes, std::int64_t now);

  store::Database& db_;
  const core::Clock& clock_;
};

}  // namespace unicc::auth
