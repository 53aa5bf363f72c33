#include "auth/users.h"

#include <array>

#include "auth/passwords.h"

namespace unicc::auth {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames = {{
    {Role::agent, "agent"},
    {Role::qa, "qa"},
    {Role::supervisor, "supervisor"},
    {Role::admin, "admin"},
}};

constexpr const char* kUserColumns = "id, username, display_name, role, disabled, created_at, updated_at";

void check_username(const std::string& username) {
  bool ok = !username.empty() && username.size() <= 64;
  for (char c : username) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                   c == '_' || c == '-' || c == '@';
    ok = ok && allowed;
  }
  if (!ok) {
    throw UserError("invalid_username",
                    "user name must be 1-64 characters of letters, digits, '.', '_', '-' or '@'");
  }
}

void check_password(const std::string& password) {
  if (password.size() < 8 || password.size() > 256) {
    throw UserError("weak_password", "password must be 8 to 256 characters long");
  }
}

// One fetched row of kUserColumns (plus the hash when asked for). SOCI's SQLite
// backend truncates 64-bit values read through soci::row, so columns are bound to
// typed variables instead.
struct UserRow {
  long long id = 0, disabled = 0, created_at = 0, updated_at = 0;
  std::string username, display_name, role, password_hash;

  void bind(soci::statement& st, bool with_hash) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(username));
    st.exchange(soci::into(display_name));
    st.exchange(soci::into(role));
    st.exchange(soci::into(disabled));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
    if (with_hash) st.exchange(soci::into(password_hash));
  }

  User user() const {
    return User{id, username, display_name, parse_role(role).value_or(Role::agent), disabled != 0, created_at,
                updated_at};
  }
};

// Runs a SELECT of kUserColumns (then password_hash if `with_hash`) with the
// given parameter binder and calls `each` per row.
template <class Bind, class Each>
void select_users(soci::session& sql, const std::string& query, bool with_hash, Bind bind_params, Each each) {
  UserRow row;
  soci::statement st(sql);
  row.bind(st, with_hash);
  bind_params(st);
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) each(row);
}

}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "agent";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

User Users::create(const std::string& username, const std::string& display_name, Role role,
                   const std::string& password) {
  check_username(username);
  check_password(password);
  if (display_name.size() > 200) throw UserError("invalid_display_name", "display name is longer than 200 characters");
  std::string hash = hash_password(password);
  std::string role_text(role_name(role));
  std::int64_t now = clock_.now_ms();
  soci::session sql(db_.pool());
  int existing = 0;
  sql << "SELECT COUNT(*) FROM users WHERE username = :u", soci::use(username), soci::into(existing);
  if (existing > 0) throw UserError("username_taken", "user name '" + username + "' is taken");
  User user{0, username, display_name, role, false, now, now};
  try {
    sql << "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at, updated_at)"
           " VALUES (:u, :d, :r, :h, 0, :c, :c2) RETURNING id",
        soci::use(username), soci::use(display_name), soci::use(role_text), soci::use(hash), soci::use(now),
        soci::use(now), soci::into(user.id);
  } catch (const soci::soci_error&) {
    // Lost a race with a concurrent create of the same name (UNIQUE constraint).
    if (find_by_name(username)) throw UserError("username_taken", "user name '" + username + "' is taken");
    throw;
  }
  return user;
}

User Users::update(std::int64_t id, const UserChanges& changes) {
  auto user = find(id);
  if (!user) throw UserError("not_found", "no user with id " + std::to_string(id));
  if (changes.display_name && changes.display_name->size() > 200) {
    throw UserError("invalid_display_name", "display name is longer than 200 characters");
  }
  if (changes.password) check_password(*changes.password);
  std::int64_t now = clock_.now_ms();
  soci::session sql(db_.pool());
  soci::transaction tx(sql);
  if (changes.display_name) {
    sql << "UPDATE users SET display_name = :d WHERE id = :id", soci::use(*changes.display_name), soci::use(id);
    user->display_name = *changes.display_name;
  }
  if (changes.role) {
    std::string role_text(role_name(*changes.role));
    sql << "UPDATE users SET role = :r WHERE id = :id", soci::use(role_text), soci::use(id);
    user->role = *changes.role;
  }
  if (changes.password) {
    std::string hash = hash_password(*changes.password);
    sql << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash), soci::use(id);
  }
  if (changes.disabled) {
    int disabled = *changes.disabled ? 1 : 0;
    sql << "UPDATE users SET disabled = :x WHERE id = :id", soci::use(disabled), soci::use(id);
    user->disabled = *changes.disabled;
  }
  if (changes.password || changes.disabled.value_or(false) || changes.role) {
    // A new password, a lock-out or a change of rights ends every open session.
    sql << "DELETE FROM sessions WHERE user_id = :id", soci::use(id);
  }
  sql << "UPDATE users SET updated_at = :t WHERE id = :id", soci::use(now), soci::use(id);
  tx.commit();
  user->updated_at = now;
  return *user;
}

std::optional<User> Users::find(std::int64_t id) {
  soci::session sql(db_.pool());
  std::optional<User> found;
  select_users(
      sql, std::string("SELECT ") + kUserColumns + " FROM users WHERE id = :id", false,
      [&](soci::statement& st) { st.exchange(soci::use(id)); }, [&](const UserRow& row) { found = row.user(); });
  return found;
}

std::optional<User> Users::find_by_name(const std::string& username) {
  auto found = find_with_hash(username);
  if (!found) return std::nullopt;
  return found->first;
}

std::optional<std::pair<User, std::string>> Users::find_with_hash(const std::string& username) {
  soci::session sql(db_.pool());
  std::optional<std::pair<User, std::string>> found;
  select_users(
      sql, std::string("SELECT ") + kUserColumns + ", password_hash FROM users WHERE username = :u", true,
      [&](soci::statement& st) { st.exchange(soci::use(username)); },
      [&](const UserRow& row) { found.emplace(row.user(), row.password_hash); });
  return found;
}

std::vector<User> Users::list(std::int64_t limit, std::int64_t offset) {
  soci::session sql(db_.pool());
  std::vector<User> users;
  select_users(
      sql, std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id LIMIT :l OFFSET :o", false,
      [&](soci::statement& st) {
        st.exchange(soci::use(limit));
        st.exchange(soci::use(offset));
      },
      [&](const UserRow& row) { users.push_back(row.user()); });
  return users;
}

std::int64_t Users::count() {
  soci::session sql(db_.pool());
  long long n = 0;
  sql << "SELECT COUNT(*) FROM users", soci::into(n);
  return n;
}

}  // namespace unicc::auth
