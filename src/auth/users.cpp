#include "auth/users.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "auth/passwords.h"

namespace unicc::auth {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames = {{
    {Role::agent, "agent"},
    {Role::qa, "qa"},
    {Role::supervisor, "supervisor"},
    {Role::admin, "admin"},
}};

// A user without an extension has NULL in the column (kept out of its UNIQUE index)
// and "" in User.
constexpr const char* kUserColumns =
    "id, username, display_name, role, COALESCE(extension, ''), disabled, created_at, updated_at";

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

std::string lower_case(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Passwords every guessing list starts with, lower case, 10 characters or more.
constexpr std::string_view kWellKnown[] = {
    "1234567890", "0123456789", "0987654321", "password12", "password123", "password1234", "qwertyuiop",
    "1q2w3e4r5t", "1qaz2wsx3edc", "qwerty1234", "qwerty12345", "iloveyou12", "letmein123", "administrator",
    "admin12345", "admin123456", "changeme123", "welcome123", "abc1234567", "a1234567890", "passw0rd12",
    "p@ssw0rd12", "1234qwer!@#$", "asdfghjkl1", "zxcvbnm123", "1111111111", "unicc12345"};

// Whether `text` walks one of these rows forwards or backwards without a gap.
bool is_run(const std::string& text) {
  static constexpr std::string_view kRows[] = {"abcdefghijklmnopqrstuvwxyz", "0123456789012345678901234567890",
                                               "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb"};
  for (auto row : kRows) {
    std::string forward(row), backward(row.rbegin(), row.rend());
    if (forward.find(text) != std::string::npos || backward.find(text) != std::string::npos) return true;
  }
  return false;
}

void check_password(const std::string& username, const std::string& password, PasswordRule rule) {
  std::string why = password_problem(username, password, rule);
  if (!why.empty()) throw UserError("weak_password", why);
}

// The extension rules that need no database: its form, and that agents have one.
void check_extension_form(Role role, const std::string& extension) {
  if (extension.empty()) {
    if (role == Role::agent) throw UserError("invalid_field", "field 'extension' is required for an agent");
    return;
  }
  bool digits = extension.size() >= 2 && extension.size() <= 16 &&
                extension.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) throw UserError("invalid_field", "field 'extension' must be 2-16 digits");
}

UserError extension_taken(const std::string& extension) {
  return UserError("extension_taken", "extension " + extension + " belongs to another user");
}

// Whether a user other than `user_id` has `extension`.
bool extension_held_by_other(soci::session& sql, const std::string& extension, std::int64_t user_id) {
  long long holder = 0;
  sql << "SELECT COALESCE(MAX(id), 0) FROM users WHERE extension = :e", soci::use(extension), soci::into(holder);
  return holder != 0 && holder != user_id;
}

// That `extension` is a SIP account and no user but `user_id` has it.
void check_extension_free(soci::session& sql, const std::string& extension, std::int64_t user_id) {
  int accounts = 0;
  sql << "SELECT COUNT(*) FROM sip_accounts WHERE extension = :e", soci::use(extension), soci::into(accounts);
  if (accounts == 0) throw UserError("invalid_field", "field 'extension': there is no SIP account " + extension);
  if (extension_held_by_other(sql, extension, user_id)) throw extension_taken(extension);
}

// One fetched row of kUserColumns (plus the hash when asked for). SOCI's SQLite
// backend truncates 64-bit values read through soci::row, so columns are bound to
// typed variables instead.
struct UserRow {
  long long id = 0, disabled = 0, created_at = 0, updated_at = 0;
  std::string username, display_name, role, extension, password_hash;

  void bind(soci::statement& st, bool with_hash) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(username));
    st.exchange(soci::into(display_name));
    st.exchange(soci::into(role));
    st.exchange(soci::into(extension));
    st.exchange(soci::into(disabled));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(updated_at));
    if (with_hash) st.exchange(soci::into(password_hash));
  }

  User user() const {
    return User{id, username, display_name, parse_role(role).value_or(Role::agent), extension, disabled != 0,
                created_at, updated_at};
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

std::string password_problem(const std::string& username, const std::string& password, PasswordRule rule) {
  if (password.size() > 256) return "password must be at most 256 characters long";
  if (rule == PasswordRule::demo) return password.size() < 8 ? "password must be at least 8 characters long" : "";
  if (password.size() < 10) return "password must be at least 10 characters long";
  std::string lower = lower_case(password);
  std::string distinct = lower;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < 5) return "password must use at least 5 different characters";
  if (is_run(lower)) return "password must not be a run of keys or letters";
  for (auto known : kWellKnown) {
    if (lower == known) return "password is on every guessing list";
  }
  // The demo's passwords are printed in the README: unicc-demo and demo1001...demo1010.
  if (lower.rfind("unicc-demo", 0) == 0 ||
      (lower.rfind("demo", 0) == 0 && lower.find_first_not_of("0123456789", 4) == std::string::npos)) {
    return "the demo passwords are for --demo accounts only";
  }
  std::string name = lower_case(username);
  if (!name.empty() && (lower == name || (lower.rfind(name, 0) == 0 &&
                                          lower.find_first_not_of("0123456789!._-@#", name.size()) ==
                                              std::string::npos))) {
    return "password must not be the user name";
  }
  return "";
}

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
                   const std::string& extension, const std::string& password, PasswordRule rule) {
  check_username(username);
  check_password(username, password, rule);
  if (display_name.size() > 200) throw UserError("invalid_display_name", "display name is longer than 200 characters");
  check_extension_form(role, extension);
  std::string hash = hash_password(password);
  std::string role_text(role_name(role));
  std::int64_t now = clock_.now_ms();
  soci::session sql(db_.pool());
  int existing = 0;
  sql << "SELECT COUNT(*) FROM users WHERE username = :u", soci::use(username), soci::into(existing);
  if (existing > 0) throw UserError("username_taken", "user name '" + username + "' is taken");
  if (!extension.empty()) check_extension_free(sql, extension, 0);
  User user{0, username, display_name, role, extension, false, now, now};
  try {
    sql << "INSERT INTO users (username, display_name, role, extension, password_hash, disabled, created_at,"
           " updated_at) VALUES (:u, :d, :r, NULLIF(:x, ''), :h, 0, :c, :c2) RETURNING id",
        soci::use(username), soci::use(display_name), soci::use(role_text), soci::use(extension), soci::use(hash),
        soci::use(now), soci::use(now), soci::into(user.id);
  } catch (const soci::soci_error&) {
    // Lost a race with a concurrent create of the same name or extension (UNIQUE constraints).
    if (find_by_name(username)) throw UserError("username_taken", "user name '" + username + "' is taken");
    if (extension_held_by_other(sql, extension, 0)) throw extension_taken(extension);
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
  if (changes.password) check_password(user->username, *changes.password, PasswordRule::strong);
  if (changes.role || changes.extension) {
    check_extension_form(changes.role.value_or(user->role), changes.extension.value_or(user->extension));
  }
  std::int64_t now = clock_.now_ms();
  soci::session sql(db_.pool());
  if (changes.extension && !changes.extension->empty()) check_extension_free(sql, *changes.extension, id);
  try {
    apply_changes(sql, *user, changes, now);
  } catch (const soci::soci_error&) {
    // Lost a race with another user taking the same extension (UNIQUE index).
    if (changes.extension && extension_held_by_other(sql, *changes.extension, id)) {
      throw extension_taken(*changes.extension);
    }
    throw;
  }
  return *user;
}

void Users::apply_changes(soci::session& sql, User& user, const UserChanges& changes, std::int64_t now) {
  std::int64_t id = user.id;
  soci::transaction tx(sql);
  if (changes.display_name) {
    sql << "UPDATE users SET display_name = :d WHERE id = :id", soci::use(*changes.display_name), soci::use(id);
    user.display_name = *changes.display_name;
  }
  if (changes.role) {
    std::string role_text(role_name(*changes.role));
    sql << "UPDATE users SET role = :r WHERE id = :id", soci::use(role_text), soci::use(id);
    user.role = *changes.role;
  }
  if (changes.extension) {
    sql << "UPDATE users SET extension = NULLIF(:e, '') WHERE id = :id", soci::use(*changes.extension), soci::use(id);
    user.extension = *changes.extension;
  }
  if (changes.password) {
    std::string hash = hash_password(*changes.password);
    sql << "UPDATE users SET password_hash = :h WHERE id = :id", soci::use(hash), soci::use(id);
  }
  if (changes.disabled) {
    int disabled = *changes.disabled ? 1 : 0;
    sql << "UPDATE users SET disabled = :x WHERE id = :id", soci::use(disabled), soci::use(id);
    user.disabled = *changes.disabled;
  }
  if (changes.ends_sessions()) {
    sql << "DELETE FROM sessions WHERE user_id = :id", soci::use(id);
  }
  sql << "UPDATE users SET updated_at = :t WHERE id = :id", soci::use(now), soci::use(id);
  tx.commit();
  user.updated_at = now;
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
