#include "core/tls_files.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <boost/asio/ssl/context.hpp>
#include <stdexcept>

namespace unicc::core {
namespace ssl = boost::asio::ssl;

std::string openssl_error(const boost::system::error_code& error) {
  std::string text = error.message();
  if (unsigned long code = ERR_get_error(); code != 0) {
    char reason[256];
    ERR_error_string_n(code, reason, sizeof reason);
    text += " (" + std::string(reason) + ")";
  }
  ERR_clear_error();
  return text;
}

TlsServerFiles::TlsServerFiles(std::string certificate, std::string private_key)
    : certificate_(std::move(certificate)), private_key_(std::move(private_key)) {}

TlsServerFiles::Stamp TlsServerFiles::stamp_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return {static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec,
          static_cast<std::int64_t>(info.st_size), static_cast<std::uint64_t>(info.st_ino)};
}

std::array<TlsServerFiles::Stamp, 2> TlsServerFiles::stamps() const {
  return {stamp_of(certificate_), stamp_of(private_key_)};
}

bool TlsServerFiles::changed() const { return stamps() != loaded_; }

std::shared_ptr<ssl::context> TlsServerFiles::load() {
  loaded_ = stamps();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code error;
  context->use_certificate_chain_file(certificate_, error);
  if (error) throw std::runtime_error("cannot use " + certificate_ + ": " + openssl_error(error));
  context->use_private_key_file(private_key_, ssl::context::pem, error);
  if (error) throw std::runtime_error("cannot use " + private_key_ + ": " + openssl_error(error));
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    throw std::runtime_error(private_key_ + " is not the key of " + certificate_);
  }
  return context;
}

}  // namespace unicc::core
