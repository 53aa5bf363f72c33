#include "crm/customers.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <nlohmann/json.hpp>

namespace unicc::crm {
namespace {

constexpr const char* kCustomerColumns =
    "id, name, email, vip, tags, birthday, address, notes, fields, created_at, updated_at";

[[noreturn]] void invalid(const std::string& field, const std::string& problem) {
  throw CustomerError("invalid_field", field, "field '" + field + "' " + problem);
}

// Characters, not bytes: a Chinese name is three bytes a character in UTF-8.
std::size_t utf8_length(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void check_length(const std::string& field, const std::string& value, std::size_t max) {
  if (utf8_length(value) > max) invalid(field, "is longer than " + std::to_string(max) + " characters");
}

bool is_calendar_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  auto number = [&text](std::size_t at, std::size_t length, int& out) {
    const char* end = text.data() + at + length;
    auto [stop, error] = std::from_chars(text.data() + at, end, out);
    return error == std::errc() && stop == end && text[at] != '+' && text[at] != '-';
  };
  int year = 0, month = 0, day = 0;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return false;
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

bool is_email(const std::string& text) {
  auto at = text.find('@');
  return at != std::string::npos && at > 0 && at + 1 < text.size() &&
         text.find_first_of(" \t\r\n") == std::string::npos;
}

// Checks every rule of the header; returns the phones' normalized forms, in order.
std::vector<std::string> check_customer(const Customer& customer, const PhoneNormalizer& normalizer) {
  if (customer.name.empty()) invalid("name", "must not be empty");
  check_length("name", customer.name, kMaxNameLength);
  if (customer.phones.size() > kMaxPhones) {
    invalid("phones", "has more than " + std::to_string(kMaxPhones) + " numbers");
  }
  std::vector<std::string> normalized;
  for (const auto& phone : customer.phones) {
    auto national = normalizer.normalize(phone);
    if (!national) invalid("phones", "has '" + phone + "', which is not a phone number");
    if (std::find(normalized.begin(), normalized.end(), *national) != normalized.end()) {
      invalid("phones", "has the number " + phone + " twice");
    }
    normalized.push_back(*national);
  }
  check_length("email", customer.email, kMaxEmailLength);
  if (!customer.email.empty() && !is_email(customer.email)) invalid("email", "must be an e-mail address");
  if (!customer.birthday.empty() && !is_calendar_date(customer.birthday)) {
    invalid("birthday", "must be a date YYYY-MM-DD");
  }
  if (customer.tags.size() > kMaxTags) invalid("tags", "has more than " + std::to_string(kMaxTags) + " tags");
  for (const auto& tag : customer.tags) {
    if (tag.empty()) invalid("tags", "has an empty tag");
    check_length("tags", tag, kMaxTagLength);
  }
  check_length("address", customer.address, kMaxAddressLength);
  check_length("notes", customer.notes, kMaxNotesLength);
  if (customer.fields.size() > kMaxFields) invalid("fields", "has more than " + std::to_string(kMaxFields) + " fields");
  for (const auto& [key, value] : customer.fields) {
    if (key.empty()) invalid("fields", "has an empty name");
    check_length("fields", key, kMaxFieldKeyLength);
    check_length("fields", value, kMaxFieldValueLength);
  }
  return normalized;
}

// Tags and fields are stored as JSON text we wrote; a row that does not parse reads as none.
template <typename Value>
Value parse_stored(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  try {
    return parsed.is_discarded() ? Value{} : parsed.get<Value>();
  } catch (const nlohmann::json::exception&) {
    return Value{};
  }
}

// One fetched row of kCustomerColumns, bound to typed variables (SOCI's SQLite
// backend truncates 64-bit values read through soci::row).
struct CustomerRow {
  long long id = 0, vip = 0, created_at = 0, updated_at = 0;
  std::string name, email, tags, birthday, address, notes, fields;

  Customer customer() const {
    Customer out;
    out.id = id;
    out.name = name;
    out.email = email;
    out.vip = vip != 0;
    out.tags = parse_stored<std::vector<std::string>>(tags);
    out.birthday = birthday;
    out.address = address;
    out.notes = notes;
    out.fields = parse_stored<std::map<std::string, std::string>>(fields);
    out.created_at = created_at;
    out.updated_at = updated_at;
    return out;
  }
};

std::vector<std::string> phones_of(soci::session& sql, std::int64_t customer_id) {
  std::vector<std::string> phones;
  std::string phone;
  soci::statement st = (sql.prepare << "SELECT phone FROM customer_phones WHERE customer_id = :id ORDER BY position",
                        soci::use(customer_id), soci::into(phone));
  st.execute(false);
  while (st.fetch()) phones.push_back(phone);
  return phones;
}

// The customers `tail` (WHERE ... ORDER BY ... with the parameters `bind` adds) selects.
template <typename Bind>
std::vector<Customer> select_customers(soci::session& sql, const std::string& tail, Bind bind) {
  CustomerRow row;
  auto statement = (sql.prepare << std::string("SELECT ") + kCustomerColumns + " FROM customers" + tail,
                    soci::into(row.id), soci::into(row.name), soci::into(row.email), soci::into(row.vip),
                    soci::into(row.tags), soci::into(row.birthday), soci::into(row.address), soci::into(row.notes),
                    soci::into(row.fields), soci::into(row.created_at), soci::into(row.updated_at));
  bind(statement);
  soci::statement st(statement);
  st.execute(false);
  std::vector<Customer> out;
  while (st.fetch()) out.push_back(row.customer());
  // After the fetch loop: one statement at a time on a connection.
  for (auto& customer : out) customer.phones = phones_of(sql, customer.id);
  return out;
}

// The customer holding the number, 0 for none.
std::int64_t phone_holder(soci::session& sql, const std::string& normalized) {
  long long holder = 0;
  sql << "SELECT COALESCE(MAX(customer_id), 0) FROM customer_phones WHERE normalized = :n", soci::use(normalized),
      soci::into(holder);
  return holder;
}

// That no customer but `customer_id` has one of the numbers.
void check_phones_free(soci::session& sql, const std::vector<std::string>& phones,
                       const std::vector<std::string>& normalized, std::int64_t customer_id) {
  for (std::size_t i = 0; i < phones.size(); ++i) {
    std::int64_t holder = phone_holder(sql, normalized[i]);
    if (holder != 0 && holder != customer_id) {
      throw CustomerError("phone_taken", "phones",
                          "phone " + phones[i] + " belongs to customer " + std::to_string(holder));
    }
  }
}

void write_phones(soci::session& sql, std::int64_t customer_id, const std::vector<std::string>& phones,
                  const std::vector<std::string>& normalized) {
  sql << "DELETE FROM customer_phones WHERE customer_id = :id", soci::use(customer_id);
  for (std::size_t i = 0; i < phones.size(); ++i) {
    int position = static_cast<int>(i);
    sql << "INSERT INTO customer_phones (customer_id, position, phone, normalized) VALUES (:c, :p, :phone, :n)",
        soci::use(customer_id), soci::use(position), soci::use(phones[i]), soci::use(normalized[i]);
  }
}

}  // namespace

void apply_changes(Customer& customer, const CustomerChanges& changes) {
  auto apply = [](auto& target, const auto& change) {
    if (change) target = *change;
  };
  apply(customer.name, changes.name);
  apply(customer.phones, changes.phones);
  apply(customer.email, changes.email);
  apply(customer.vip, changes.vip);
  apply(customer.tags, changes.tags);
  apply(customer.birthday, changes.birthday);
  apply(customer.address, changes.address);
  apply(customer.notes, changes.notes);
  apply(customer.fields, changes.fields);
}

CustomerStore::CustomerStore(store::Database& db, store::AsyncWriter& writer, const core::Clock& clock,
                             PhoneNormalizer normalizer)
    : db_(db), writer_(writer), clock_(clock), normalizer_(std::move(normalizer)) {
  soci::session sql(db_.pool());
  reload_vip_numbers(sql);
}

void CustomerStore::reload_vip_numbers(soci::session& sql) {
  auto numbers = std::make_shared<std::set<std::string>>();
  soci::rowset<std::string> rows = (sql.prepare << "SELECT p.normalized FROM customer_phones p"
                                                   " JOIN customers c ON c.id = p.customer_id WHERE c.vip = 1");
  numbers->insert(rows.begin(), rows.end());
  std::lock_guard lock(vip_mutex_);
  vip_numbers_ = std::move(numbers);
}

bool CustomerStore::is_vip(const std::string& caller) const {
  auto national = normalizer_.normalize(caller);
  if (!national) return false;
  std::shared_ptr<const std::set<std::string>> numbers;
  {
    std::lock_guard lock(vip_mutex_);
    numbers = vip_numbers_;
  }
  return numbers && numbers->contains(*national);
}

Customer CustomerStore::create(const Customer& input) {
  Customer customer = input;
  const auto normalized = check_customer(customer, normalizer_);
  customer.created_at = customer.updated_at = clock_.now_ms();
  const std::string tags = nlohmann::json(customer.tags).dump();
  const std::string fields = nlohmann::json(customer.fields).dump();
  const int vip = customer.vip ? 1 : 0;
  soci::session sql(db_.pool());
  check_phones_free(sql, customer.phones, normalized, 0);
  try {
    soci::transaction tx(sql);
    sql << "INSERT INTO customers (name, email, vip, tags, birthday, address, notes, fields, created_at, updated_at)"
           " VALUES (:name, :email, :vip, :tags, :birthday, :address, :notes, :fields, :created, :updated)"
           " RETURNING id",
        soci::use(customer.name), soci::use(customer.email), soci::use(vip), soci::use(tags),
        soci::use(customer.birthday), soci::use(customer.address), soci::use(customer.notes), soci::use(fields),
        soci::use(customer.created_at), soci::use(customer.updated_at), soci::into(customer.id);
    write_phones(sql, customer.id, customer.phones, normalized);
    tx.commit();
  } catch (const soci::soci_error&) {
    // Lost a race with another customer taking one of the numbers (UNIQUE index).
    check_phones_free(sql, customer.phones, normalized, 0);
    throw;
  }
  if (customer.vip) reload_vip_numbers(sql);
  return customer;
}

Customer CustomerStore::update(std::int64_t id, const CustomerChanges& changes) {
  auto found = get(id);
  if (!found) throw CustomerError("not_found", "", "no customer with id " + std::to_string(id));
  Customer customer = *found;
  apply_changes(customer, changes);
  const auto normalized = check_customer(customer, normalizer_);
  customer.updated_at = clock_.now_ms();
  const std::string tags = nlohmann::json(customer.tags).dump();
  const std::string fields = nlohmann::json(customer.fields).dump();
  const int vip = customer.vip ? 1 : 0;
  soci::session sql(db_.pool());
  if (changes.phones) check_phones_free(sql, customer.phones, normalized, id);
  try {
    soci::transaction tx(sql);
    sql << "UPDATE customers SET name = :name, email = :email, vip = :vip, tags = :tags, birthday = :birthday,"
           " address = :address, notes = :notes, fields = :fields, updated_at = :updated WHERE id = :id",
        soci::use(customer.name), soci::use(customer.email), soci::use(vip), soci::use(tags),
        soci::use(customer.birthday), soci::use(customer.address), soci::use(customer.notes), soci::use(fields),
        soci::use(customer.updated_at), soci::use(id);
    if (changes.phones) write_phones(sql, id, customer.phones, normalized);
    tx.commit();
  } catch (const soci::soci_error&) {
    if (changes.phones) check_phones_free(sql, customer.phones, normalized, id);
    throw;
  }
  if (customer.vip || found->vip) reload_vip_numbers(sql);
  return customer;
}

std::optional<Customer> CustomerStore::get(std::int64_t id) {
  soci::session sql(db_.pool());
  auto found = select_customers(sql, " WHERE id = :id",
                                [&id](soci::details::prepare_temp_type& statement) { statement, soci::use(id); });
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<Customer> CustomerStore::find_by_phone(const std::string& phone) {
  auto national = normalizer_.normalize(phone);
  if (!national) return std::nullopt;
  std::int64_t holder = 0;
  {
    soci::session sql(db_.pool());
    holder = phone_holder(sql, *national);
  }
  if (holder == 0) return std::nullopt;
  return get(holder);
}

CustomerPage CustomerStore::search(const std::string& query, std::int64_t limit, std::int64_t offset) {
  const std::string text = store::like_contains(query);
  const std::string number = store::like_contains(normalizer_.normalize(query).value_or(query));
  const std::string where =
      " WHERE LOWER(name) LIKE :name ESCAPE '!' OR LOWER(email) LIKE :email ESCAPE '!' OR id IN"
      " (SELECT customer_id FROM customer_phones WHERE phone LIKE :phone ESCAPE '!'"
      " OR normalized LIKE :normalized ESCAPE '!')";
  auto bind_query = [&](soci::details::prepare_temp_type& statement) {
    statement, soci::use(text), soci::use(text), soci::use(text), soci::use(number);
  };
  CustomerPage page;
  {
    soci::session sql(db_.pool());
    page.items = select_customers(sql, where + " ORDER BY name, id LIMIT :limit OFFSET :offset",
                                  [&](soci::details::prepare_temp_type& statement) {
                                    bind_query(statement);
                                    statement, soci::use(limit), soci::use(offset);
                                  });
  }
  page.total = store::count_rows(db_, "SELECT COUNT(*) FROM customers" + where, bind_query);
  return page;
}

std::vector<CustomerContact> CustomerStore::contacts(const Customer& customer, std::int64_t limit) {
  writer_.flush();
  std::vector<std::string> numbers;
  for (const auto& phone : customer.phones) {
    if (auto national = normalizer_.normalize(phone)) {
      for (auto& spelling : normalizer_.spellings(*national)) numbers.push_back(std::move(spelling));
    }
  }
  // Calls marked with the customer, calls from its phones, and calls placed to them
  // (whose callee is the customer's number). A call unicc placed showing the
  // customer's number (an agent bringing a colleague into the customer's call) is
  // not one. A recording the retention deleted is none.
  std::string query =
      "SELECT id, call_id, started_at, answered_at, ended_at, direction, caller, agent, queue, disposition,"
      " disposition_code, notes, CASE WHEN recording_deleted_at = 0 THEN recording_path ELSE '' END"
      " FROM cdrs WHERE customer_id = :customer";
  if (!numbers.empty()) {
    // Placeholders are bound by position; SQLite takes a name used twice for one.
    auto placeholders = [&numbers](const char* prefix) {
      std::string list;
      for (std::size_t i = 0; i < numbers.size(); ++i) list += (i ? ", :" : ":") + (prefix + std::to_string(i));
      return list;
    };
    query += " OR (direction <> 'originated' AND caller IN (" + placeholders("caller") + "))";
    query += " OR (direction IN ('outbound', 'originated') AND callee IN (" + placeholders("callee") + "))";
  }
  query += " ORDER BY started_at DESC, id DESC LIMIT :limit";
  soci::session sql(db_.pool());
  CustomerContact row;
  long long id = 0, started = 0, answered = 0, ended = 0;
  std::string recording_path;
  const long long customer_id = customer.id;
  auto statement = (sql.prepare << query, soci::into(id), soci::into(row.call_id), soci::into(started),
                    soci::into(answered), soci::into(ended), soci::into(row.direction), soci::into(row.caller),
                    soci::into(row.agent), soci::into(row.queue), soci::into(row.disposition),
                    soci::into(row.disposition_code), soci::into(row.notes), soci::into(recording_path));
  statement, soci::use(customer_id);
  for (int pass = 0; pass < 2 && !numbers.empty(); ++pass) {
    for (const auto& number : numbers) statement, soci::use(number);
  }
  statement, soci::use(limit);
  soci::statement st(statement);
  st.execute(false);
  std::vector<CustomerContact> out;
  while (st.fetch()) {
    row.cdr_id = id;
    row.started_at = started;
    row.duration_ms = answered > 0 && ended >= answered ? ended - answered : 0;
    row.recorded = !recording_path.empty();
    out.push_back(row);
  }
  return out;
}

}  // namespace unicc::crm
