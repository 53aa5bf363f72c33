#pragma once
// crm::CustomerStore — the customers agents serve, found by any spelling of their
// phone numbers (crm::PhoneNormalizer), and the calls they made before.
//
// A customer has a name, up to kMaxPhones phones (each belongs to one customer
// only: "phone_taken"), e-mail, VIP flag, tags, birthday ("YYYY-MM-DD"), address,
// notes and free fields ({"plan": "gold"}). Rules broken by a create or an update
// throw CustomerError naming the field ("invalid_field"); nothing is written then.
// Earlier contacts are read from the cdrs table (call::CdrStore writes it): the
// calls marked with the customer's id and those from one of its phones.
//
// Thread-safe and synchronous: each call takes its own pooled connection, so it
// waits on the database — HTTP threads and CTI workers, never the SIP thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "crm/phone.h"
#include "store/async_writer.h"
#include "store/database.h"

namespace soci {
class session;
}

namespace unicc::crm {

inline constexpr std::size_t kMaxNameLength = 200;
inline constexpr std::size_t kMaxPhones = 10;
inline constexpr std::size_t kMaxEmailLength = 200;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxTagLength = 64;
inline constexpr std::size_t kMaxFields = 50;
inline constexpr std::size_t kMaxFieldKeyLength = 64;
inline constexpr std::size_t kMaxFieldValueLength = 1000;
inline constexpr std::size_t kMaxAddressLength = 1000;
inline constexpr std::size_t kMaxNotesLength = 10000;

struct Customer {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> phones;  // as given, in the given order
  std::string email;                // "" = none
  bool vip = false;
  std::vector<std::string> tags;
  std::string birthday;  // "YYYY-MM-DD" or ""
  std::string address;
  std::string notes;
  std::map<std::string, std::string> fields;
  std::int64_t created_at = 0;  // ms since epoch
  std::int64_t updated_at = 0;
};

// An update: what is set replaces the stored value (phones and tags as whole lists).
struct CustomerChanges {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> phones;
  std::optional<std::string> email;
  std::optional<bool> vip;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> birthday;
  std::optional<std::string> address;
  std::optional<std::string> notes;
  std::optional<std::map<std::string, std::string>> fields;
};

// Sets on `customer` what `changes` sets.
void apply_changes(Customer& customer, const CustomerChanges& changes);

// `code`: "invalid_field" (`field` names it), "phone_taken" (`field` is "phones"),
// "not_found".
class CustomerError : public std::runtime_error {
 public:
  CustomerError(std::string code, std::string field, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)), field_(std::move(field)) {}
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  std::string code_;
  std::string field_;
};

struct CustomerPage {
  std::vector<Customer> items;
  std::int64_t total = 0;  // matches without limit and offset
};

// One earlier call of a customer, from its CDR.
struct CustomerContact {
  std::int64_t cdr_id = 0;
  std::string call_id;
  std::int64_t started_at = 0;
  std::string direction;
  std::string caller;
  std::string agent;
  std::string queue;
  std::string disposition;
  std::string disposition_code;
  std::string notes;
  std::int64_t duration_ms = 0;  // answered to ended; 0 when never answered or still going
  bool recorded = false;
};

class CustomerStore {
 public:
  // `writer` is the one CDRs go through: contacts() flushes it first, so a call that
  // just ended is in the history.
  // Reads the VIP numbers (is_vip) from the database.
  CustomerStore(store::Database& db, store::AsyncWriter& writer, const core::Clock& clock,
                PhoneNormalizer normalizer);

  Customer create(const Customer& customer);
  // Throws CustomerError("not_found") for an unknown id.
  Customer update(std::int64_t id, const CustomerChanges& changes);
  std::optional<Customer> get(std::int64_t id);
  // The customer one of whose phones is `phone` in any spelling.
  std::optional<Customer> find_by_phone(const std::string& phone);
  // Customers whose name, e-mail or one of whose phones contains `query` (case
  // insensitive for ASCII; "" matches all), by name.
  CustomerPage search(const std::string& query, std::int64_t limit, std::int64_t offset);
  // The customer's calls, newest first.
  std::vector<CustomerContact> contacts(const Customer& customer, std::int64_t limit);

  const PhoneNormalizer& normalizer() const { return normalizer_; }

  // Whether `caller` (any spelling) is a phone of a VIP customer. For the call path:
  // from any thread, without the database — the VIP numbers live in memory, read at
  // start and again after every change made through this store.
  bool is_vip(const std::string& caller) const;

 private:
  // On the session the caller holds: a second one from the pool could wait forever.
  void reload_vip_numbers(soci::session& sql);

  store::Database& db_;
  store::AsyncWriter& writer_;
  const core::Clock& clock_;
  const PhoneNormalizer normalizer_;
  mutable std::mutex vip_mutex_;
  std::shared_ptr<const std::set<std::string>> vip_numbers_;  // normalized
};

}  // namespace unicc::crm
