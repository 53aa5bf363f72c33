#pragma once
// call::SipBanStore — SIP bans (sip::BanList) kept across restarts, in table sip_bans.
// sip/ cannot reach the database, so the B2BUA's layer stores them: a ban that
// begins or is lifted is written through the async writer (never waiting on the SIP
// thread); at start, the bans still in force are read back into the list before SIP
// listens, so a restart (or a crash the attacker provokes) does not clear them.
#include "sip/ban_list.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace unicc::call {

class SipBanStore {
 public:
  SipBanStore(store::AsyncWriter& writer, store::Database& db);

  // Puts the bans in force at `now_ms` into `bans` (and forgets the ended ones), then
  // has every later ban and lift of `bans` written here.
  void attach(sip::BanList& bans, std::int64_t now_ms);

 private:
  store::AsyncWriter& writer_;
  store::Database& db_;
};

}  // namespace unicc::call
