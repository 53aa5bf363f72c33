#include "call/sip_bans.h"

#include <soci/soci.h>

#include <sstream>

namespace unicc::call {
namespace {

// The addresses a banned user may still use, one per line (addresses hold no newline).
std::string allowed_text(const std::vector<std::string>& addresses) {
  std::string out;
  for (const auto& address : addresses) out += (out.empty() ? "" : "\n") + address;
  return out;
}

std::vector<std::string> allowed_list(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

SipBanStore::SipBanStore(store::AsyncWriter& writer, store::Database& db) : writer_(writer), db_(db) {}

void SipBanStore::attach(sip::BanList& bans, std::int64_t now_ms) {
  writer_.flush();
  {
    soci::session sql(db_.pool());
    sql << "DELETE FROM sip_bans WHERE until_ms <= :now", soci::use(now_ms);
    sip::Ban ban;
    std::string allowed;
    long long since = 0, until = 0, failures = 0;
    soci::statement st = (sql.prepare << "SELECT kind, ban_key, since_ms, until_ms, failures, allowed FROM sip_bans "
                                         "ORDER BY since_ms",
                          soci::into(ban.kind), soci::into(ban.key), soci::into(since), soci::into(until),
                          soci::into(failures), soci::into(allowed));
    st.execute(false);
    while (st.fetch()) {
      ban.since_ms = since;
      ban.until_ms = until;
      ban.failures = failures;
      ban.allowed = allowed_list(allowed);
      bans.restore(ban);
    }
  }
  bans.set_observer([this](const sip::Ban& ban, bool in_force) {
    if (!in_force) {
      writer_.submit(
          [kind = ban.kind, key = ban.key](soci::session& sql) {
            sql << "DELETE FROM sip_bans WHERE kind = :kind AND ban_key = :key", soci::use(kind), soci::use(key);
          },
          "sip ban lifted");
      return;
    }
    writer_.submit(
        [ban, allowed = allowed_text(ban.allowed)](soci::session& sql) {
          const long long since = ban.since_ms, until = ban.until_ms, failures = ban.failures;
          sql << "DELETE FROM sip_bans WHERE kind = :kind AND ban_key = :key", soci::use(ban.kind),
              soci::use(ban.key);
          sql << "INSERT INTO sip_bans (kind, ban_key, since_ms, until_ms, failures, allowed) "
                 "VALUES (:kind, :key, :since, :until, :failures, :allowed)",
              soci::use(ban.kind), soci::use(ban.key), soci::use(since), soci::use(until), soci::use(failures),
              soci::use(allowed);
        },
        "sip ban");
  });
}

}  // namespace unicc::call
