#include "sip/registrar.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/random.h"
#include "sip/builder.h"

namespace unicc::sip {
namespace {

std::string tag() { return core::random_hex(6); }

}  // namespace

DigestAuthenticator::Ha1Lookup ha1_lookup(const AccountDirectory& accounts) {
  return [&accounts](std::string_view user, DigestAlgorithm algorithm) -> std::optional<std::string> {
    auto account = accounts.find(user);
    if (!account) return std::nullopt;
    return algorithm == DigestAlgorithm::kMd5 ? account->ha1_md5 : account->ha1_sha256;
  };
}

void Registrar::handle(const Message& request, const Endpoint& from, const Reply& reply) {
  auto simple = [&](int code) { reply(response_to(request, code, {}, tag()).finish()); };

  auto outcome = digest_.verify(request, from.address, ha1_lookup(accounts_));
  using Verdict = DigestAuthenticator::Verdict;
  if (outcome.verdict == Verdict::kMissing || outcome.verdict == Verdict::kStale) {
    auto response = response_to(request, 401, {}, tag());
    for (const auto& challenge : digest_.challenges(outcome.verdict == Verdict::kStale)) {
      response.add("WWW-Authenticate", challenge);
    }
    return reply(response.finish());
  }
  if (outcome.verdict != Verdict::kOk) {
    spdlog::info("REGISTER from {} refused: bad credentials for '{}'", from.to_string(), outcome.username);
    return simple(403);
  }
  std::string user = request.to().uri.user_decoded();
  if (user != outcome.username) return simple(403);

  std::int64_t now = clock_.now_ms();
  std::int64_t header_expires = request.expires() ? static_cast<std::int64_t>(*request.expires())
                                                  : settings_.default_expires_s;
  if (request.contact_wildcard()) {
    if (header_expires != 0) return simple(400);
    locations_.remove_all(user);
  }
  for (const auto& contact : request.contacts()) {
    std::int64_t expires = contact.expires() ? static_cast<std::int64_t>(*contact.expires()) : header_expires;
    if (expires != 0 && expires < settings_.min_expires_s) {
      return reply(response_to(request, 423, {}, tag())
                       .add("Min-Expires", std::to_string(settings_.min_expires_s))
                       .finish());
    }
  }
  std::string call_id(request.call_id());
  for (const auto& existing : locations_.lookup(user, now)) {
    // A reordered or replayed REGISTER from the same client must not undo a newer one.
    if (existing.call_id == call_id && request.cseq().number <= existing.cseq) return simple(500);
  }
  std::string user_agent(request.header("User-Agent").value_or(""));
  for (const auto& contact : request.contacts()) {
    std::int64_t expires = contact.expires() ? static_cast<std::int64_t>(*contact.expires()) : header_expires;
    expires = std::min(expires, settings_.max_expires_s);
    locations_.update(user,
                      Binding{contact.uri.to_string(), from, now + expires * 1000, call_id, request.cseq().number,
                              user_agent},
                      now);
  }
  auto response = response_to(request, 200, {}, tag());
  for (const auto& binding : locations_.lookup(user, now)) {
    std::int64_t remaining = (binding.expires_at - now + 999) / 1000;
    response.add("Contact", "<" + binding.contact + ">;expires=" + std::to_string(remaining));
  }
  reply(response.finish());
}

}  // namespace unicc::sip
