#include "crm/phone.h"

#include <algorithm>

namespace unicc::crm {
namespace {

// What people write between digits; dropped.
bool is_phone_separator(char c) { return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace

std::optional<std::string> PhoneNormalizer::normalize(std::string_view phone) const {
  if (phone.size() > kMaxPhoneLength) return std::nullopt;
  std::string digits;
  bool plus = false;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (!is_phone_separator(c)) {
      return std::nullopt;
    }
  }
  bool international = plus;
  if (!plus && digits.starts_with("00")) {
    digits.erase(0, 2);
    international = true;
  }
  const std::string& country = rules_.country_code;
  if (international && !digits.starts_with(country)) {
    if (digits.empty()) return std::nullopt;
    return "+" + digits;
  }
  if (international || (digits.size() >= kShortestInternational && digits.starts_with(country))) {
    digits.erase(0, country.size());
  }
  const std::string& trunk = rules_.trunk_prefix;
  if (!trunk.empty() && digits.size() > trunk.size() && digits.starts_with(trunk)) digits.erase(0, trunk.size());
  if (digits.empty()) return std::nullopt;
  return digits;
}

std::vector<std::string> PhoneNormalizer::spellings(const std::string& normalized) const {
  std::vector<std::string> candidates;
  if (normalized.starts_with("+")) {
    candidates = {normalized, "00" + normalized.substr(1)};
  } else {
    const std::string& country = rules_.country_code;
    candidates = {normalized, rules_.trunk_prefix + normalized, country + normalized, "+" + country + normalized,
                  "00" + country + normalized};
  }
  // Only the spellings that really read as this number (a short one has no bare
  // country-code form), each once.
  std::vector<std::string> out;
  for (auto& candidate : candidates) {
    if (normalize(candidate) == normalized && std::find(out.begin(), out.end(), candidate) == out.end()) {
      out.push_back(std::move(candidate));
    }
  }
  return out;
}

}  // namespace unicc::crm
