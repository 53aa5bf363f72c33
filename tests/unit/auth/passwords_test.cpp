#include "auth/passwords.h"

#include <gtest/gtest.h>

namespace unicc::auth {
namespace {

TEST(Passwords, Argon2idHashVerifiesOnlyTheRightPassword) {
  std::string hash = hash_password("correct horse");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_password(hash, "correct horse"));
  EXPECT_FALSE(verify_password(hash, "correct horsf"));
  EXPECT_FALSE(verify_password(hash, ""));
}

TEST(Passwords, SamePasswordGetsDifferentSalts) {
  EXPECT_NE(hash_password("same password"), hash_password("same password"));
}

TEST(Passwords, GarbageHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("plain-text", "plain-text"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=1,t=1,p=1$bad", "x"));
}

}  // namespace
}  // namespace unicc::auth
