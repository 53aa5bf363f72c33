#include "auth/users.h"

#include <gtest/gtest.h>

#include "auth/passwords.h"
#include "support/test_database.h"

namespace unicc::auth {
namespace {

class UsersTest : public ::testing::Test {
 protected:
  testing::TestDatabase test;
  core::FakeClock clock{1'795'000'000'000};
  Users users{test.db(), clock};
};

TEST_F(UsersTest, CreateFindAndList) {
  User created = users.create("alice", "Alice Wong", Role::supervisor, "password-1");
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at, 1'795'000'000'000);
  auto found = users.find(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "alice");
  EXPECT_EQ(found->display_name, "Alice Wong");
  EXPECT_EQ(found->role, Role::supervisor);
  EXPECT_EQ(found->created_at, 1'795'000'000'000);
  users.create("bob", "", Role::agent, "password-2");
  auto all = users.list(10, 0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].username, "bob");
  EXPECT_EQ(users.count(), 2);
  EXPECT_EQ(users.list(10, 1).size(), 1u);
}

TEST_F(UsersTest, PasswordIsStoredHashed) {
  users.create("carol", "", Role::agent, "s3cret-pass");
  auto found = users.find_with_hash("carol");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->second.find("s3cret-pass"), std::string::npos);
  EXPECT_TRUE(verify_password(found->second, "s3cret-pass"));
}

TEST_F(UsersTest, RulesAreEnforcedWithCodes) {
  users.create("dave", "", Role::agent, "password-1");
  auto code_of = [&](auto action) {
    try {
      action();
    } catch (const UserError& error) {
      return error.code();
    }
    return std::string("none");
  };
  EXPECT_EQ(code_of([&] { users.create("dave", "", Role::qa, "password-2"); }), "username_taken");
  EXPECT_EQ(code_of([&] { users.create("bad name", "", Role::qa, "password-2"); }), "invalid_username");
  EXPECT_EQ(code_of([&] { users.create("", "", Role::qa, "password-2"); }), "invalid_username");
  EXPECT_EQ(code_of([&] { users.create("erin", "", Role::qa, "short"); }), "weak_password");
  EXPECT_EQ(code_of([&] { users.update(9999, {}); }), "not_found");
}

TEST_F(UsersTest, UpdateChangesOnlyWhatIsGiven) {
  User user = users.create("frank", "Frank", Role::agent, "password-1");
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
  User user = users.create("gretchen", "", Role::admin, "password-1");
  try {
    users.update(user.id, demo_password);
    ADD_FAILURE() << "a demo password was accepted";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), "weak_password");
    EXPECT_STREQ(error.what(), "the demo passwords are for --demo accounts only");
  }
}

TEST_F(UsersTest, OnlyDemoSeedingUsesTheDemoRule) {
  User demo = users.create("admin", "", Role::admin, "unicc-demo", PasswordRule::demo);
  EXPECT_TRUE(verify_password(users.find_with_hash("admin")->second, "unicc-demo"));
  EXPECT_NE(password_problem("x", "short", PasswordRule::demo), "");
  EXPECT_THROW(users.create("admin2", "", Role::admin, "unicc-demo"), UserError);
  EXPECT_GT(demo.id, 0);
}

TEST(Roles, NamesRoundTrip) {
  for (Role role : {Role::admin, Role::supervisor, Role::agent, Role::qa}) {
    EXPECT_EQ(parse_role(role_name(role)), role);
  }
  EXPECT_FALSE(parse_role("root"));
}

}  // namespace
}  // namespace unicc::auth
