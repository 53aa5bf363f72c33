#pragma once
// sip::write_self_signed_certificate — a throwaway certificate for SIP over TLS in
// the demo and in tests: a new P-256 key and a certificate for `name` (an IP
// address or a DNS name, also put in subjectAltName so peers can check it), valid
// from now for `days`. The key file is written readable by its owner only.
// Throws std::runtime_error naming the file or step that failed. Not for
// production: nothing vouches for such a certificate.
#include <string>

namespace unicc::sip {

void write_self_signed_certificate(const std::string& certificate_path, const std::string& key_path,
                                   const std::string& name, int days = 365);

}  // namespace unicc::sip
