#include "auth/users.h"

#include <gtest/gtest.h>

#include "auth/passwords.h"
#include "support/test_database.h"

namespace unicc::auth {
namespace {

class UsersTest : public ::testing::Test {
 protected:
  UsersTest() {
    for (const char* extension : {"1001", "1002", "1003", "1004", "1005"}) test.add_sip_account(extension);
  }

  // The code of the UserError `action` throws, or "none".
  template <class Action>
  static std::string code_of(Action action) {
    try {
      action();
    } catch (const UserError& error) {
      return error.code();
    }
    return "none";
  }

  testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  Users users{test.db(), clock};
};

TEST_F(UsersTest, CreateFindAndList) {
  User created = users.create("alice", "Alice Wong", Role::supervisor, "", "password-1");
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at, 1'795'000'000'000);
  auto found = users.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "alice");
  EXPECT_EQ(found->display_name, "Alice Wong");
  EXPECT_EQ(found->role, Role::supervisor);
  EXPECT_EQ(found->created_at, 1'795'000'000'000);
  EXPECT_EQ(found->extension, "");
  users.create("bob", "", Role::agent, "1001", "password-2");
  auto all = users.list(10, 0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].username, "bob");
  EXPECT_EQ(all[1].extension, "1001");
  EXPECT_EQ(users.count(), 2);
  EXPECT_EQ(users.list(10, 1).size(), 1u);
}

TEST_F(UsersTest, PasswordIsStoredHashed) {
  users.create("carol", "", Role::agent, "1002", "s3cret-pass");
  auto found = users.find_with_hash("carol");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->second.find("s3cret-pass"), std::string::npos);
  EXPECT_TRUE(verify_password(found->second, "s3cret-pass"));
}

TEST_F(UsersTest, RulesAreEnforcedWithCodes) {
  users.create("dave", "", Role::agent, "1003", "password-1");
  EXPECT_EQ(code_of([&] { users.create("dave", "", Role::qa, "", "password-2"); }), "username_taken");
  EXPECT_EQ(code_of([&] { users.create("bad name", "", Role::qa, "", "password-2"); }), "invalid_username");
  EXPECT_EQ(code_of([&] { users.create("", "", Role::qa, "", "password-2"); }), "invalid_username");
  EXPECT_EQ(code_of([&] { users.create("erin", "", Role::qa, "", "short"); }), "weak_password");
  EXPECT_EQ(code_of([&] { users.update(9999, {}); }), "not_found");
}

TEST_F(UsersTest, UpdateChangesOnlyWhatIsGiven) {
  User user = users.create("frank", "Frank", Role::agent, "1004", "password-1");
  clock.advance(std::chrono::seconds(5));
  UserChanges changes;
  changes.role = Role::qa;
  changes.disabled = true;
  User updated = users.update(user.id, changes);
  EXPECT_EQ(updated.role, Role::qa);
  EXPECT_TRUE(updated.disabled);
  EXPECT_EQ(updated.display_name, "Frank");
  EXPECT_EQ(updated.updated_at, user.created_at + 5000);
  EXPECT_TRUE(users.find(user.id)->disabled);
}

TEST_F(UsersTest, AccountsNeedStrongPasswords) {
  for (const std::string weak : {"short-1", "aaaaaaaaaaaa", "abababababab", "1234567890", "qwertyuiop",
                                 "Password123", "unicc-demo", "demo1001", "gretchen", "gretchen2024"}) {
    EXPECT_NE(password_problem("gretchen", weak), "") << weak;
  }
  for (const std::string strong : {"password-1", "correct horse battery", "Tr0ub4dor&3x", "gretchen-ahoi-42"}) {
    EXPECT_EQ(password_problem("gretchen", strong), "") << strong;
  }
  UserChanges demo_password;
  demo_password.password = "unicc-demo";
  User user = users.create("gretchen", "", Role::admin, "", "password-1");
  try {
    users.update(user.id, demo_password);
    ADD_FAILURE() << "a demo password was accepted";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), "weak_password");
    EXPECT_STREQ(error.what(), "the demo passwords are for --demo accounts only");
  }
}

TEST_F(UsersTest, OnlyDemoSeedingUsesTheDemoRule) {
  User demo = users.create("admin", "", Role::admin, "", "unicc-demo", PasswordRule::demo);
  EXPECT_TRUE(verify_password(users.find_with_hash("admin")->second, "unicc-demo"));
  EXPECT_NE(password_problem("x", "short", PasswordRule::demo), "");
  EXPECT_THROW(users.create("admin2", "", Role::admin, "", "unicc-demo"), UserError);
  EXPECT_GT(demo.id, 0);
}

TEST_F(UsersTest, AgentsNeedAnExtensionOtherRolesMayHaveOne) {
  EXPECT_EQ(code_of([&] { users.create("ann", "", Role::agent, "", "password-1"); }), "invalid_field");
  EXPECT_EQ(users.create("sam", "", Role::supervisor, "1001", "password-1").extension, "1001");
  EXPECT_EQ(users.create("quinn", "", Role::qa, "1002", "password-1").extension, "1002");
  EXPECT_EQ(users.create("ada", "", Role::admin, "1003", "password-1").extension, "1003");
  // Without one, as many users as wanted (no extension is NULL, outside the UNIQUE index).
  users.create("sue", "", Role::supervisor, "", "password-1");
  User plain = users.create("quentin", "", Role::qa, "", "password-1");

  UserChanges make_agent;
  make_agent.role = Role::agent;
  EXPECT_EQ(code_of([&] { users.update(plain.id, make_agent); }), "invalid_field");
  make_agent.extension = "1004";
  EXPECT_EQ(users.update(plain.id, make_agent).extension, "1004");
  UserChanges remove;
  remove.extension = "";
  EXPECT_EQ(code_of([&] { users.update(plain.id, remove); }), "invalid_field") << "an agent keeps one";
  EXPECT_EQ(users.find(plain.id)->extension, "1004");
}

TEST_F(UsersTest, AnExtensionIsDigitsOfAnExistingSipAccount) {
  for (const std::string bad : {"1", "10a1", "+1001", "12345678901234567", " 1001"}) {
    try {
      users.create("ann", "", Role::agent, bad, "password-1");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), "invalid_field") << bad;
      EXPECT_NE(std::string(error.what()).find("extension"), std::string::npos) << error.what();
    }
  }
  try {
    users.create("ann", "", Role::agent, "9999", "password-1");
    ADD_FAILURE() << "an extension without a SIP account was accepted";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), "invalid_field");
    EXPECT_STREQ(error.what(), "field 'extension': there is no SIP account 9999");
  }
  User sam = users.create("sam", "", Role::supervisor, "", "password-1");
  UserChanges unknown;
  unknown.extension = "9999";
  EXPECT_EQ(code_of([&] { users.update(sam.id, unknown); }), "invalid_field");
  EXPECT_EQ(users.count(), 1);
}

TEST_F(UsersTest, AnExtensionBelongsToOneUser) {
  User ann = users.create("ann", "", Role::agent, "1001", "password-1");
  EXPECT_EQ(code_of([&] { users.create("bea", "", Role::agent, "1001", "password-1"); }), "extension_taken");
  User sam = users.create("sam", "", Role::supervisor, "1002", "password-1");
  UserChanges take;
  take.extension = "1001";
  EXPECT_EQ(code_of([&] { users.update(sam.id, take); }), "extension_taken");
  UserChanges keep;
  keep.extension = "1001";
  EXPECT_EQ(users.update(ann.id, keep).extension, "1001") << "a user's own extension is not taken from them";
  // Freed by its holder, it can be given to another.
  UserChanges remove;
  remove.extension = "";
  EXPECT_EQ(users.update(sam.id, remove).extension, "");
  EXPECT_EQ(users.find(sam.id)->extension, "");
  UserChanges move;
  move.extension = "1003";
  users.update(ann.id, move);
  EXPECT_EQ(users.update(sam.id, take).extension, "1001");
  EXPECT_EQ(users.find_by_name("sam")->extension, "1001");
}

TEST(Roles, NamesRoundTrip) {
  for (Role role : {Role::admin, Role::supervisor, Role::agent, Role::qa}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("root"));
}

}  // namespace
}  // namespace unicc::auth
