#pragma once
// Cryptographic helpers shared by modules: unguessable tokens and SHA-256 digests.
#include <cstddef>
#include <string>
#include <string_view>

namespace unicc::core {

// Fills `size` bytes at `data` from the OS CSPRNG (keys); throws std::runtime_error
// when the generator fails, so nothing ever runs with a weak key.
void random_bytes(unsigned char* data, std::size_t size);

// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes characters).
std::string random_hex(std::size_t bytes);

// Lower-case hex of `size` bytes.
std::string to_hex(const unsigned char* data, std::size_t size);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace unicc::core
