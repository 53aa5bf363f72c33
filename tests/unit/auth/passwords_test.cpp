#include "auth/passwords.h"

#include <argon2.h>
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

// The salt field of a PHC string ($argon2id$v=19$m=..,t=..,p=..$SALT$HASH), decoded.
std::string salt_of(const std::string& hash) {
  std::size_t end = hash.rfind('$');
  std::size_t begin = hash.rfind('$', end - 1) + 1;
  std::string b64 = hash.substr(begin, end - begin);
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0, value = 0;
  for (char c : b64) {
    value = (value << 6) | static_cast<unsigned>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xff);
    }
  }
  return out;
}

TEST(Passwords, SaltsAreSixteenRandomBytes) {
  std::string bytes;
  for (int i = 0; i < 4; ++i) {
    std::string salt = salt_of(hash_password("same password"));
    ASSERT_EQ(salt.size(), 16u);
    bytes += salt;
  }
  // Hex text used only 16 of the 256 byte values; 64 random bytes all among them is a 2^-256 chance.
  EXPECT_NE(bytes.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Passwords, HashesWithTheOldHexSaltStillVerify) {
  const std::string salt = "0123456789abcdef";  // 16 hex characters, as stored before
  std::string old(argon2_encodedlen(2, 19 * 1024, 1, 16, 32, Argon2_id), '\0');
  ASSERT_EQ(argon2id_hash_encoded(2, 19 * 1024, 1, "old password", 12, salt.data(), salt.size(), 32, old.data(),
                                  old.size()),
            ARGON2_OK);
  old.resize(old.find('\0'));
  EXPECT_TRUE(verify_password(old, "old password"));
  EXPECT_FALSE(verify_password(old, "old passwore"));
}

TEST(Passwords, GarbageHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("plain-text", "plain-text"));
  EXPECT_FALSE(verify_password("$argon2id$v=19$m=1,t=1,p=1$bad", "x"));
}

}  // namespace
}  // namespace unicc::auth
