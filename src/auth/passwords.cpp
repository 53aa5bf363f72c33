#include "auth/passwords.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace unicc::auth {
namespace {
// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
constexpr uint32_t kPasses = 2;
constexpr uint32_t kMemoryKib = 19 * 1024;
constexpr uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
}  // namespace

std::string hash_password(const std::string& password) {
  // Raw random bytes: hashes made before used 16 hex characters (64 bits); they
  // still verify, since the PHC string carries whatever salt it was made with.
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("no random bytes for a password salt");
  }
  std::size_t encoded_size = argon2_encodedlen(kPasses, kMemoryKib, kLanes, static_cast<uint32_t>(salt.size()),
                                               kHashBytes, Argon2_id);
  std::string encoded(encoded_size, '\0');
  int rc = argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(), password.size(), salt.data(),
                                 salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(const std::string& encoded_hash, const std::string& password) {
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded_hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace unicc::auth
