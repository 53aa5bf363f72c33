#pragma once
// call::load_sip_accounts, ensure_sip_account — the phones' SIP accounts in the
// database (table sip_accounts). sip/ keeps accounts in memory only
// (sip::AccountDirectory) and cannot reach the database, so their SQL sits here, with
// the B2BUA that authenticates against them. Any thread; each call opens its own
// session from the pool.
#include <cstdint>
#include <string>
#include <vector>

#include "sip/location.h"
#include "store/database.h"

namespace unicc::call {

// The enabled accounts that can authenticate in `realm`; one created for another
// realm is left out and logged (its HA1s bind the password to that realm).
std::vector<sip::SipAccount> load_sip_accounts(store::Database& db, const std::string& realm);

// Creates the SIP account (extension) unless it exists; HA1s use `realm`.
void ensure_sip_account(store::Database& db, const std::string& extension, const std::string& display_name,
                        const std::string& password, const std::string& realm, std::int64_t now_ms);

}  // namespace unicc::call
