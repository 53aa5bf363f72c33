#pragma once
// Password hashing with argon2id (RFC 9106), stored in the PHC string format so
// the parameters travel with each hash and can be raised later. Salts are 16 random
// bytes; hashes made with other salts and parameters still verify.
#include <string>

namespace unicc::auth {

std::string hash_password(const std::string& password);
// False for a wrong password and for anything that is not an argon2id hash.
bool verify_password(const std::string& encoded_hash, const std::string& password);

}  // namespace unicc::auth
