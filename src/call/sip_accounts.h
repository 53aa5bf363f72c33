#pragma once
// call::load_sip_accounts, list/create/update/write_sip_account(s) — the phones' SIP accounts
// in the database (table sip_accounts). Passwords are kept only as digest HA1s (MD5
// and SHA-256, bound to the realm). sip/ keeps accounts in memory only
// (sip::AccountDirectory) and cannot reach the database, so their SQL sits here, with
// the B2BUA that authenticates against them. Any thread; each call opens its own
// session from the pool.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sip/location.h"
#include "store/database.h"

namespace unicc::call {

// The enabled accounts that can authenticate in `realm`; one created for another
// realm is left out and logged (its HA1s bind the password to that realm).
std::vector<sip::SipAccount> load_sip_accounts(store::Database& db, const std::string& realm);

struct SipAccountRecord {
  std::string extension;
  std::string display_name;
  bool enabled = true;
  std::int64_t created_at = 0;
};

// Every account, enabled or not, by extension.
std::vector<SipAccountRecord> list_sip_accounts(store::Database& db);

// Creates the SIP account (extension), enabled; HA1s use `realm`. False when the
// extension has one already (nothing changed).
bool create_sip_account(store::Database& db, const std::string& extension, const std::string& display_name,
                        const std::string& password, const std::string& realm, std::int64_t now_ms);

// What a change sets; absent fields stay. A new password is hashed for `realm`.
struct SipAccountChanges {
  std::optional<std::string> display_name;
  std::optional<std::string> password;
  std::optional<bool> enabled;
};
// False when there is no such account.
bool update_sip_account(store::Database& db, const std::string& extension, const SipAccountChanges& changes,
                        const std::string& realm);

// One account of a bulk write: created (its password and display name from `changes`,
// enabled unless `changes.enabled` is false) or changed.
struct SipAccountWrite {
  std::string extension;
  bool create = false;
  SipAccountChanges changes;
};
// Every write in one transaction: all or none. False (nothing changed) when an account
// to create exists already or one to change does not.
bool write_sip_accounts(store::Database& db, const std::vector<SipAccountWrite>& writes, const std::string& realm,
                        std::int64_t now_ms);

}  // namespace unicc::call
