#pragma once
// crm::PhoneNormalizer — one spelling for a phone number however it arrives, so a
// customer's stored phone matches the caller of any call.
//
// A number becomes its national form: spaces, tabs, dashes, dots and parentheses are
// dropped; "+CC…", "00CC…" and "CC…" (the last only with at least
// kShortestInternational digits, so extensions are left alone) lose the country code;
// then one leading trunk prefix goes. With the defaults (86, 0) "+86 138 0000 0000",
// "008613800000000", "8613800000000", "013800000000" and "13800000000" are all
// "13800000000". Numbers of other countries keep their code as "+CC…" ("001 555…"
// is "+1555…"). Anything but digits, one leading '+' and the separators, no digit at
// all, or more than kMaxPhoneLength characters, is no phone number.
//
// Immutable after construction: shared by every thread.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unicc::crm {

inline constexpr std::size_t kMaxPhoneLength = 32;
// The fewest digits a number starting with the country code (without "+" or "00")
// must have to be taken as international: no national number that long starts with
// its country's code, and every shorter one (an extension, a short code) stays as is.
inline constexpr std::size_t kShortestInternational = 11;

struct PhoneRules {
  std::string country_code = "86";  // digits, without "+" or "00"
  std::string trunk_prefix = "0";   // dialled before national numbers within the country; "" = none
};

class PhoneNormalizer {
 public:
  explicit PhoneNormalizer(PhoneRules rules = {}) : rules_(std::move(rules)) {}

  // The national form described above; nullopt when `phone` is no phone number.
  std::optional<std::string> normalize(std::string_view phone) const;
  // The spellings a caller's number with this normalized form arrives in from phones
  // and trunks (the form itself first): national, with the trunk prefix, with the
  // country code bare, after "+" and after "00"; "+CC…" and "00CC…" for a foreign one.
  std::vector<std::string> spellings(const std::string& normalized) const;

 private:
  PhoneRules rules_;
};

}  // namespace unicc::crm
