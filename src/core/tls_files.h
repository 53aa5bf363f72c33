#pragma once
// core::TlsServerFiles — a server's TLS certificate and key (SIP over TLS, HTTPS),
// read from PEM files into a context for accepting connections, and read again when
// the files change (a renewed certificate is used without a restart). A file that
// cannot be used throws std::runtime_error naming it; the caller keeps the context
// it had. Contexts are handed out as shared_ptr: a connection keeps the one it
// started with.
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/system/error_code.hpp>

namespace boost::asio::ssl {
class context;
}

namespace unicc::core {

class TlsServerFiles {
 public:
  TlsServerFiles(std::string certificate, std::string private_key);

  // A TLS 1.2+ server context with the certificate and key (the caller adds any
  // client-certificate rules).
  std::shared_ptr<boost::asio::ssl::context> load();
  // Whether either file differs from when load() last read them.
  bool changed() const;
  const std::string& certificate() const { return certificate_; }

 private:
  struct Stamp {
    std::int64_t modified_ns = -1;
    std::int64_t size = -1;
    std::uint64_t inode = 0;  // a file renamed into place is a new inode, however close in time
    bool operator==(const Stamp&) const = default;
  };
  static Stamp stamp_of(const std::string& path);
  std::array<Stamp, 2> stamps() const;

  std::string certificate_;
  std::string private_key_;
  std::array<Stamp, 2> loaded_{};
};

// An OpenSSL failure in words: `error`'s message and the first entry of OpenSSL's
// error queue, which says more (the queue is cleared).
std::string openssl_error(const boost::system::error_code& error);

}  // namespace unicc::core
