#include "call/sip_accounts.h"

#include <spdlog/spdlog.h>

#include "sip/digest.h"

namespace unicc::call {

std::vector<sip::SipAccount> load_sip_accounts(store::Database& db, const std::string& realm) {
  soci::session sql(db.pool());
  sip::SipAccount row;
  std::string stored_realm;
  soci::statement st = (sql.prepare << "SELECT extension, display_name, realm, ha1_md5, ha1_sha256 FROM sip_accounts"
                                       " WHERE enabled = 1",
                        soci::into(row.user), soci::into(row.display_name), soci::into(stored_realm),
                        soci::into(row.ha1_md5), soci::into(row.ha1_sha256));
  st.execute(false);
  std::vector<sip::SipAccount> accounts;
  while (st.fetch()) {
    if (stored_realm != realm) {
      // HA1 binds the password to the realm: such an account can no longer authenticate.
      spdlog::error("SIP account {} was created for realm '{}', not sip.realm '{}'; reset its password",
                    row.user, stored_realm, realm);
      continue;
    }
    accounts.push_back(row);
  }
  return accounts;
}

std::vector<SipAccountRecord> list_sip_accounts(store::Database& db) {
  soci::session sql(db.pool());
  SipAccountRecord row;
  int enabled = 1;
  long long created = 0;
  soci::statement st = (sql.prepare << "SELECT extension, display_name, enabled, created_at FROM sip_accounts"
                                       " ORDER BY extension",
                        soci::into(row.extension), soci::into(row.display_name), soci::into(enabled),
                        soci::into(created));
  st.execute(false);
  std::vector<SipAccountRecord> accounts;
  while (st.fetch()) {
    row.enabled = enabled != 0;
    row.created_at = created;
    accounts.push_back(row);
  }
  return accounts;
}

namespace {

bool account_exists(soci::session& sql, const std::string& extension) {
  int existing = 0;
  sql << "SELECT COUNT(*) FROM sip_accounts WHERE extension = :e", soci::use(extension), soci::into(existing);
  return existing > 0;
}

void insert_account(soci::session& sql, const std::string& extension, const std::string& display_name,
                    const std::string& password, const std::string& realm, std::int64_t now_ms) {
  std::string md5 = sip::digest_ha1(sip::DigestAlgorithm::kMd5, extension, realm, password);
  std::string sha256 = sip::digest_ha1(sip::DigestAlgorithm::kSha256, extension, realm, password);
  long long created = now_ms;
  sql << "INSERT INTO sip_accounts (extension, display_name, realm, ha1_md5, ha1_sha256, enabled, created_at)"
         " VALUES (:e, :d, :r, :m, :s, 1, :c)",
      soci::use(extension), soci::use(display_name), soci::use(realm), soci::use(md5), soci::use(sha256),
      soci::use(created);
}

void change_account(soci::session& sql, const std::string& extension, const SipAccountChanges& changes,
                    const std::string& realm) {
  if (changes.display_name) {
    sql << "UPDATE sip_accounts SET display_name = :d WHERE extension = :e", soci::use(*changes.display_name),
        soci::use(extension);
  }
  if (changes.enabled) {
    const int enabled = *changes.enabled ? 1 : 0;
    sql << "UPDATE sip_accounts SET enabled = :n WHERE extension = :e", soci::use(enabled), soci::use(extension);
  }
  if (changes.password) {
    const std::string md5 = sip::digest_ha1(sip::DigestAlgorithm::kMd5, extension, realm, *changes.password);
    const std::string sha256 = sip::digest_ha1(sip::DigestAlgorithm::kSha256, extension, realm, *changes.password);
    sql << "UPDATE sip_accounts SET realm = :r, ha1_md5 = :m, ha1_sha256 = :s WHERE extension = :e", soci::use(realm),
        soci::use(md5), soci::use(sha256), soci::use(extension);
  }
}

}  // namespace

bool create_sip_account(store::Database& db, const std::string& extension, const std::string& display_name,
                        const std::string& password, const std::string& realm, std::int64_t now_ms) {
  soci::session sql(db.pool());
  if (account_exists(sql, extension)) return false;
  insert_account(sql, extension, display_name, password, realm, now_ms);
  return true;
}

bool update_sip_account(store::Database& db, const std::string& extension, const SipAccountChanges& changes,
                        const std::string& realm) {
  soci::session sql(db.pool());
  soci::transaction transaction(sql);
  if (!account_exists(sql, extension)) return false;
  change_account(sql, extension, changes, realm);
  transaction.commit();
  return true;
}

bool write_sip_accounts(store::Database& db, const std::vector<SipAccountWrite>& writes, const std::string& realm,
                        std::int64_t now_ms) {
  soci::session sql(db.pool());
  soci::transaction transaction(sql);
  for (const auto& write : writes) {
    if (account_exists(sql, write.extension) == write.create) return false;  // rolled back
    if (write.create) {
      insert_account(sql, write.extension, write.changes.display_name.value_or(""),
                     write.changes.password.value_or(""), realm, now_ms);
      if (write.changes.enabled == false) change_account(sql, write.extension, {{}, {}, false}, realm);
    } else {
      change_account(sql, write.extension, write.changes, realm);
    }
  }
  transaction.commit();
  return true;
}

}  // namespace unicc::call
