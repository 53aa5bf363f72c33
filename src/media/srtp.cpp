#include "media/srtp.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <srtp2/srtp.h>

#include <mutex>

#include "core/random.h"

namespace unicc::media {
namespace {

constexpr std::string_view kSuite80 = "AES_CM_128_HMAC_SHA1_80";
constexpr std::string_view kSuite32 = "AES_CM_128_HMAC_SHA1_32";

bool initialise_library() {
  static const bool ok = [] {
    const srtp_err_status_t status = srtp_init();
    if (status != srtp_err_status_ok) spdlog::error("media: libsrtp failed to initialise ({})", static_cast<int>(status));
    return status == srtp_err_status_ok;
  }();
  return ok;
}

// One direction: inbound (any SSRC the peer sends) or outbound (any SSRC we send).
srtp_t make_context(const SrtpKey& key, srtp_ssrc_type_t direction) {
  srtp_policy_t policy{};
  if (key.suite == SrtpSuite::kAesCm128HmacSha1_32) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
  } else {
    srtp_crypto_policy_set_rtp_default(&policy.rtp);
  }
  // RFC 4568 §6.2.1: SRTCP always uses the 80-bit tag, whatever the suite's RTP tag.
  srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
  policy.ssrc.type = direction;
  std::array<std::uint8_t, kSrtpKeySaltSize> key_copy = key.key_salt;
  policy.key = key_copy.data();
  // Forwarded audio may arrive late or out of order; libsrtp's default window (128) is ample.
  policy.window_size = 128;
  srtp_t context = nullptr;
  const srtp_err_status_t status = srtp_create(&context, &policy);
  OPENSSL_cleanse(key_copy.data(), key_copy.size());
  if (status != srtp_err_status_ok) {
    spdlog::warn("media: SRTP context refused ({})", static_cast<int>(status));
    return nullptr;
  }
  return context;
}

using Transform = srtp_err_status_t (*)(srtp_t, void*, int*);

// Runs one libsrtp packet function in place; `room` is what it may append.
bool transform(Transform function, srtp_t context, std::span<std::uint8_t> buffer, std::size_t& size,
               std::size_t room) {
  if (size + room > buffer.size()) return false;
  int length = static_cast<int>(size);
  if (function(context, buffer.data(), &length) != srtp_err_status_ok || length < 0) return false;
  size = static_cast<std::size_t>(length);
  return true;
}

}  // namespace

struct SrtpSession::Contexts {
  srtp_t inbound = nullptr;
  srtp_t outbound = nullptr;
  ~Contexts() {
    if (inbound) srtp_dealloc(inbound);
    if (outbound) srtp_dealloc(outbound);
  }
};

std::string_view srtp_suite_name(SrtpSuite suite) {
  return suite == SrtpSuite::kAesCm128HmacSha1_32 ? kSuite32 : kSuite80;
}

std::optional<SrtpSuite> srtp_suite_named(std::string_view name) {
  if (name == kSuite80) return SrtpSuite::kAesCm128HmacSha1_80;
  if (name == kSuite32) return SrtpSuite::kAesCm128HmacSha1_32;
  return std::nullopt;
}

SrtpKey random_srtp_key(SrtpSuite suite) {
  SrtpKey key;
  key.suite = suite;
  core::random_bytes(key.key_salt.data(), key.key_salt.size());
  return key;
}

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKeys& keys) {
  if (!initialise_library()) return nullptr;
  auto contexts = std::make_unique<Contexts>();
  contexts->inbound = make_context(keys.receive, ssrc_any_inbound);
  contexts->outbound = make_context(keys.send, ssrc_any_outbound);
  if (!contexts->inbound || !contexts->outbound) return nullptr;
  return std::unique_ptr<SrtpSession>(new SrtpSession(keys, std::move(contexts)));
}

SrtpSession::SrtpSession(const SrtpKeys& keys, std::unique_ptr<Contexts> contexts)
    : keys_(keys), contexts_(std::move(contexts)) {}

SrtpSession::~SrtpSession() { OPENSSL_cleanse(&keys_, sizeof keys_); }

bool SrtpSession::unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t& size) {
  return transform(srtp_unprotect, contexts_->inbound, buffer, size, 0);
}

bool SrtpSession::unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& size) {
  return transform(srtp_unprotect_rtcp, contexts_->inbound, buffer, size, 0);
}

bool SrtpSession::protect_rtp(std::span<std::uint8_t> buffer, std::size_t& size) {
  return transform(srtp_protect, contexts_->outbound, buffer, size, kSrtpMaxTrailer);
}

bool SrtpSession::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& size) {
  return transform(srtp_protect_rtcp, contexts_->outbound, buffer, size, kSrtpMaxTrailer);
}

}  // namespace unicc::media
