#pragma once
// sip::AccountDirectory and sip::LocationService — who may register, and where
// each registered extension can be reached now.
//
// Both are read on the SIP thread for every REGISTER and INVITE, so they live in
// memory: the directory is a snapshot replaced whole when accounts change (the
// database is read elsewhere, never on the SIP thread); the location service is
// owned by the SIP thread alone.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/endpoint.h"

namespace unicc::sip {

struct SipAccount {
  std::string user;  // the extension, e.g. "1001"
  std::string display_name;
  std::string ha1_md5;
  std::string ha1_sha256;
};

class AccountDirectory {
 public:
  void replace(std::vector<SipAccount> accounts);
  std::optional<SipAccount> find(std::string_view user) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::map<std::string, SipAccount, std::less<>>> accounts_ =
      std::make_shared<std::map<std::string, SipAccount, std::less<>>>();
};

struct Binding {
  std::string contact;      // the Contact URI as registered
  Endpoint source;          // where the REGISTER came from: requests go here (NAT)
  std::int64_t expires_at;  // ms since epoch
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string user_agent;
};

class LocationService {
 public:
  // Current bindings of `user`, newest first, dropping expired ones.
  std::vector<Binding> lookup(std::string_view user, std::int64_t now_ms);
  // Adds or refreshes the binding with this contact; expires_at <= now removes it.
  void update(const std::string& user, Binding binding, std::int64_t now_ms);
  void remove_all(std::string_view user);
  // Every user's current bindings (newest first), dropping expired ones.
  std::map<std::string, std::vector<Binding>, std::less<>> all(std::int64_t now_ms);

 private:
  std::map<std::string, std::vector<Binding>, std::less<>> bindings_;
};

}  // namespace unicc::sip
