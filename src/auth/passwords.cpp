#include "auth/passwords.h"

#include <argon2.h>

#include <stdexcept>

#include "core/random.h"

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
  std::string salt = core::random_hex(kSaltBytes / 2);  // hex text is fine salt material
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
