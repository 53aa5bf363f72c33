#pragma once
// Cryptographic helpers shared by modules: unguessable tokens and SHA-256 digests.
#include <cstddef>
#include <string>
#include <string_view>

namespace unicc::core {

// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes characters).
std::string random_hex(std::size_t bytes);

// Lower-case hex of `size` bytes.
std::string to_hex(const unsigned char* data, std::size_t size);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace unicc::core
