#include "sip/self_signed.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace unicc::sip {
namespace {

template <typename T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION, X509_EXTENSION_free>>;

void require_ok(bool ok, const std::string& step) {
  if (!ok) throw std::runtime_error("cannot make a self-signed certificate: " + step + " failed");
}

bool is_ip_literal(const std::string& name) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, name.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

void write_new_file(const std::string& path, mode_t mode, const std::function<int(FILE*)>& write) {
  // Created with its final mode, so the key is never readable by others, even briefly.
  ::unlink(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) throw std::runtime_error("cannot write " + path);
  FILE* file = ::fdopen(fd, "w");
  if (!file) {
    ::close(fd);
    throw std::runtime_error("cannot write " + path);
  }
  bool ok = write(file) == 1;
  ok = std::fclose(file) == 0 && ok;
  if (!ok) throw std::runtime_error("cannot write " + path);
}

}  // namespace

void write_self_signed_certificate(const std::string& certificate_path, const std::string& key_path,
                                   const std::string& name, int days) {
  KeyPtr key(EVP_EC_gen("P-256"));
  require_ok(key != nullptr, "key generation");
  CertPtr cert(X509_new());
  require_ok(cert != nullptr, "X509_new");
  require_ok(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  unsigned char serial[16];
  require_ok(RAND_bytes(serial, sizeof(serial)) == 1, "RAND_bytes");
  serial[0] &= 0x7f;  // a positive serial number
  std::unique_ptr<BIGNUM, OpenSslFree<BIGNUM, BN_free>> number(BN_bin2bn(serial, sizeof(serial), nullptr));
  require_ok(number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get())) != nullptr, "serial number");
  require_ok(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr, "notBefore");
  require_ok(X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400) != nullptr, "notAfter");
  require_ok(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  require_ok(X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("unicc demo"),
                                   -1, -1, 0) == 1 &&
            X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                       reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0) == 1,
        "subject");
  require_ok(X509_set_issuer_name(cert.get(), subject) == 1, "issuer");
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
  std::string alt = (is_ip_literal(name) ? "IP:" : "DNS:") + name;
  // CA:TRUE lets a peer trust this very certificate as its own anchor (a test's CA file).
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, alt.c_str()},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                            std::pair{NID_key_usage, "critical,digitalSignature,keyCertSign"}}) {
    ExtPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
    require_ok(extension && X509_add_ext(cert.get(), extension.get(), -1) == 1, "extension");
  }
  require_ok(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  write_new_file(key_path, 0600, [&](FILE* file) {
    return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  write_new_file(certificate_path, 0644, [&](FILE* file) { return PEM_write_X509(file, cert.get()); });
}

}  // namespace unicc::sip
