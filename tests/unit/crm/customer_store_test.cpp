// crm::CustomerStore on a fresh database (SQLite, or PostgreSQL under
// scripts/with-postgres): customers round-trip, are found by any spelling of a phone
// and by search, keep their rules, and list their calls from the CDRs.
#include "crm/customers.h"

#include <gtest/gtest.h>

#include "call/cdr.h"
#include "core/metrics.h"
#include "support/test_database.h"

namespace unicc::crm {
namespace {

CustomerChanges new_phones(std::vector<std::string> phones) {
  CustomerChanges changes;
  changes.phones = std::move(phones);
  return changes;
}

CustomerChanges new_birthday(std::string birthday) {
  CustomerChanges changes;
  changes.birthday = std::move(birthday);
  return changes;
}

class CustomerStoreTest : public ::testing::Test {
 protected:
  ~CustomerStoreTest() override { writer.stop(); }

  static Customer zhang() {
    Customer customer;
    customer.name = "张三";
    customer.phones = {"+86 138 0000 0000", "010-12345678"};
    customer.email = "zhang@example.com";
    customer.vip = true;
    customer.tags = {"gold", "北京"};
    customer.birthday = "1990-12-06";
    customer.address = "北京市朝阳区";
    customer.notes = "prefers mornings";
    customer.fields = {{"plan", "gold"}, {"contract", "C-1"}};
    return customer;
  }

  // The rule a create or an update broke: "code field", or "none".
  template <typename Action>
  static std::string broken_rule(Action action) {
    try {
      action();
    } catch (const CustomerError& error) {
      return error.code() + " " + error.field();
    }
    return "none";
  }

  call::Cdr call_from(const std::string& caller, std::int64_t started_at) {
    call::Cdr cdr;
    cdr.call_id = "call-" + std::to_string(started_at);
    cdr.direction = "inbound";
    cdr.caller = caller;
    cdr.dialled = "4001";
    cdr.callee = "1001";
    cdr.started_at = started_at;
    cdr.answered_at = started_at + 3'000;
    cdr.ended_at = started_at + 63'000;
    cdr.disposition = "answered";
    return cdr;
  }

  unicc::testing::TestDatabase test;
  core::Metrics metrics;
  core::FakeClock clock{1'795'000'000'000};
  store::AsyncWriter writer{test.db(), 16, 1000, metrics};
  CustomerStore customers{test.db(), writer, clock, PhoneNormalizer()};
  call::CdrStore cdrs{writer, test.db()};
};

TEST_F(CustomerStoreTest, ACustomerRoundTrips) {
  Customer created = customers.create(zhang());
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.created_at, clock.now_ms());
  auto read = customers.get(created.id);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->name, "张三");
  EXPECT_EQ(read->phones, (std::vector<std::string>{"+86 138 0000 0000", "010-12345678"}));
  EXPECT_EQ(read->email, "zhang@example.com");
  EXPECT_TRUE(read->vip);
  EXPECT_EQ(read->tags, (std::vector<std::string>{"gold", "北京"}));
  EXPECT_EQ(read->birthday, "1990-12-06");
  EXPECT_EQ(read->address, "北京市朝阳区");
  EXPECT_EQ(read->notes, "prefers mornings");
  EXPECT_EQ(read->fields, (std::map<std::string, std::string>{{"contract", "C-1"}, {"plan", "gold"}}));
  EXPECT_EQ(read->created_at, 1'795'000'000'000);
  EXPECT_EQ(read->updated_at, 1'795'000'000'000);
  EXPECT_FALSE(customers.get(created.id + 1));
}

TEST_F(CustomerStoreTest, EverySpellingOfAPhoneFindsItsCustomer) {
  Customer created = customers.create(zhang());
  for (const char* phone : {"+86 138 0000 0000", "008613800000000", "8613800000000", "013800000000", "13800000000",
                            "01012345678", "+86 10 1234 5678"}) {
    auto found = customers.find_by_phone(phone);
    ASSERT_TRUE(found) << phone;
    EXPECT_EQ(found->id, created.id) << phone;
  }
  EXPECT_FALSE(customers.find_by_phone("13900000000"));
  EXPECT_FALSE(customers.find_by_phone("anonymous"));
}

TEST_F(CustomerStoreTest, VipNumbersAreKnownWithoutTheDatabaseAndFollowChanges) {
  Customer created = customers.create(zhang());
  EXPECT_TRUE(customers.is_vip("8613800000000"));
  EXPECT_TRUE(customers.is_vip("01012345678"));
  EXPECT_FALSE(customers.is_vip("13900000000"));
  EXPECT_FALSE(customers.is_vip("anonymous"));
  CustomerChanges no_longer;
  no_longer.vip = false;
  customers.update(created.id, no_longer);
  EXPECT_FALSE(customers.is_vip("8613800000000"));
  // Another store on the same database (a restart) reads them at start.
  CustomerChanges again;
  again.vip = true;
  customers.update(created.id, again);
  CustomerStore restarted{test.db(), writer, clock, PhoneNormalizer()};
  EXPECT_TRUE(restarted.is_vip("+86 138 0000 0000"));
}

TEST_F(CustomerStoreTest, APhoneIsOneCustomersAtMost) {
  Customer first = customers.create(zhang());
  Customer other;
  other.name = "李四";
  other.phones = {"13900000000", "0138 0000 0000"};
  EXPECT_EQ(broken_rule([&] { customers.create(other); }), "phone_taken phones");
  other.phones = {"13900000000"};
  Customer second = customers.create(other);
  EXPECT_EQ(broken_rule([&] { customers.update(second.id, new_phones({"8613800000000"})); }), "phone_taken phones");
  // Its own numbers, in another spelling, are no conflict.
  EXPECT_EQ(customers.update(first.id, new_phones({"13800000000"})).phones, std::vector<std::string>{"13800000000"});
  // A number given up is free again.
  EXPECT_EQ(customers.update(second.id, new_phones({"010 1234 5678"})).phones,
            std::vector<std::string>{"010 1234 5678"});
}

TEST_F(CustomerStoreTest, BrokenRulesNameTheFieldAndWriteNothing) {
  auto with = [](auto change) {
    Customer customer = zhang();
    change(customer);
    return customer;
  };
  auto create = [&](const Customer& customer) { return broken_rule([&] { customers.create(customer); }); };
  EXPECT_EQ(create(with([](Customer& c) { c.name = ""; })), "invalid_field name");
  EXPECT_EQ(create(with([](Customer& c) { c.name = std::string(201, 'x'); })), "invalid_field name");
  EXPECT_EQ(create(with([](Customer& c) {
              c.name.clear();
              for (int i = 0; i < 200; ++i) c.name += "张";
            })),
            "none");  // 200 characters, 600 bytes
  EXPECT_EQ(create(with([](Customer& c) { c.phones = {"not a number"}; })), "invalid_field phones");
  EXPECT_EQ(create(with([](Customer& c) { c.phones = {"13900000001", "+86 139 0000 0001"}; })),
            "invalid_field phones");
  EXPECT_EQ(create(with([](Customer& c) { c.phones = std::vector<std::string>(11, "1"); })), "invalid_field phones");
  EXPECT_EQ(create(with([](Customer& c) { c.email = "nobody"; })), "invalid_field email");
  EXPECT_EQ(create(with([](Customer& c) { c.birthday = "1990-02-30"; })), "invalid_field birthday");
  EXPECT_EQ(create(with([](Customer& c) { c.birthday = "90-12-06"; })), "invalid_field birthday");
  EXPECT_EQ(create(with([](Customer& c) { c.birthday = "1990-1-066"; })), "invalid_field birthday");
  EXPECT_EQ(create(with([](Customer& c) { c.tags = std::vector<std::string>(51, "t"); })), "invalid_field tags");
  EXPECT_EQ(create(with([](Customer& c) { c.tags = {std::string(65, 't')}; })), "invalid_field tags");
  EXPECT_EQ(create(with([](Customer& c) { c.tags = {""}; })), "invalid_field tags");
  EXPECT_EQ(create(with([](Customer& c) { c.fields = {{std::string(65, 'k'), "v"}}; })), "invalid_field fields");
  EXPECT_EQ(create(with([](Customer& c) { c.fields = {{"k", std::string(1001, 'v')}}; })), "invalid_field fields");
  EXPECT_EQ(create(with([](Customer& c) { c.notes = std::string(10001, 'n'); })), "invalid_field notes");
  EXPECT_EQ(customers.search("", 50, 0).total, 1);  // only the one that was valid

  Customer stored = customers.search("", 50, 0).items.front();
  EXPECT_EQ(broken_rule([&] { customers.update(stored.id, new_birthday("2023-02-29")); }),
            "invalid_field birthday");
  EXPECT_EQ(customers.get(stored.id)->birthday, "1990-12-06");
  EXPECT_EQ(customers.update(stored.id, new_birthday("2024-02-29")).birthday, "2024-02-29");
  EXPECT_EQ(broken_rule([&] { customers.update(stored.id + 100, CustomerChanges{}); }), "not_found ");
}

TEST_F(CustomerStoreTest, AnUpdateChangesOnlyWhatItSets) {
  Customer created = customers.create(zhang());
  clock.advance(std::chrono::seconds(5));
  CustomerChanges changes;
  changes.vip = false;
  changes.tags = std::vector<std::string>{};
  changes.fields = std::map<std::string, std::string>{{"plan", "silver"}};
  Customer updated = customers.update(created.id, changes);
  EXPECT_FALSE(updated.vip);
  EXPECT_TRUE(updated.tags.empty());
  EXPECT_EQ(updated.fields, (std::map<std::string, std::string>{{"plan", "silver"}}));
  EXPECT_EQ(updated.updated_at, created.created_at + 5'000);
  auto read = customers.get(created.id);
  EXPECT_EQ(read->name, "张三");
  EXPECT_EQ(read->phones, created.phones);
  EXPECT_FALSE(read->vip);
  EXPECT_EQ(read->fields, updated.fields);
  EXPECT_EQ(read->created_at, created.created_at);
  EXPECT_EQ(read->updated_at, updated.updated_at);
}

TEST_F(CustomerStoreTest, SearchMatchesPartsOfNamesPhonesAndEmails) {
  customers.create(zhang());
  Customer li;
  li.name = "Li Si";
  li.phones = {"13900000000"};
  li.email = "LI@Example.org";
  customers.create(li);
  Customer percent;
  percent.name = "100% Wang";
  customers.create(percent);
  auto names = [this](const std::string& query) {
    std::vector<std::string> out;
    for (const auto& customer : customers.search(query, 50, 0).items) out.push_back(customer.name);
    return out;
  };
  EXPECT_EQ(names("张"), std::vector<std::string>{"张三"});
  EXPECT_EQ(names("li si"), std::vector<std::string>{"Li Si"});
  EXPECT_EQ(names("example.org"), std::vector<std::string>{"Li Si"});
  EXPECT_EQ(names("1380000"), std::vector<std::string>{"张三"});
  EXPECT_EQ(names("+86 139"), std::vector<std::string>{"Li Si"});
  EXPECT_EQ(names("0000"), (std::vector<std::string>{"Li Si", "张三"}));
  EXPECT_EQ(names("%"), std::vector<std::string>{"100% Wang"});
  EXPECT_EQ(names("_"), std::vector<std::string>{});
  EXPECT_EQ(names(""), (std::vector<std::string>{"100% Wang", "Li Si", "张三"}));
  auto page = customers.search("", 1, 1);
  EXPECT_EQ(page.total, 3);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].name, "Li Si");
}

TEST_F(CustomerStoreTest, ContactsAreTheCallsMarkedWithTheCustomerOrFromItsPhones) {
  Customer created = customers.create(zhang());
  cdrs.record(call_from("8613800000000", 1'795'000'100'000), {});  // from a trunk, with the country code
  call::Cdr marked = call_from("anonymous", 1'795'000'200'000);
  marked.customer_id = created.id;
  marked.agent = "1001";
  marked.queue = "sales";
  marked.recording_path = "var/recordings/x.wav";
  cdrs.record(marked, {});
  call::Cdr missed = call_from("01012345678", 1'795'000'300'000);
  missed.answered_at = 0;
  missed.disposition = "no_answer";
  cdrs.record(missed, {});
  call::Cdr called_back = call_from("1001", 1'795'000'400'000);
  called_back.direction = "outbound";
  called_back.callee = "13800000000";
  cdrs.record(called_back, {});
  cdrs.record(call_from("13900000000", 1'795'000'500'000), {});  // someone else
  call::Cdr internal = call_from("1001", 1'795'000'600'000);
  internal.direction = "internal";
  internal.callee = "13800000000";
  cdrs.record(internal, {});  // an extension's call to such a number is not a call to the customer
  call::Cdr consult = call_from("8613800000000", 1'795'000'700'000);
  consult.direction = "originated";
  consult.callee = "1002";
  cdrs.record(consult, {});  // the agent's colleague called, shown the customer's number: not the customer's

  auto contacts = customers.contacts(*customers.get(created.id), 50);
  ASSERT_EQ(contacts.size(), 4u);
  EXPECT_EQ(contacts[0].call_id, "call-1795000400000");
  EXPECT_EQ(contacts[0].direction, "outbound");
  EXPECT_EQ(contacts[1].call_id, "call-1795000300000");
  EXPECT_EQ(contacts[1].duration_ms, 0);
  EXPECT_EQ(contacts[1].disposition, "no_answer");
  EXPECT_EQ(contacts[2].call_id, "call-1795000200000");
  EXPECT_EQ(contacts[2].agent, "1001");
  EXPECT_EQ(contacts[2].queue, "sales");
  EXPECT_TRUE(contacts[2].recorded);
  EXPECT_EQ(contacts[2].started_at, 1'795'000'200'000);
  EXPECT_EQ(contacts[2].duration_ms, 60'000);
  EXPECT_EQ(contacts[3].caller, "8613800000000");
  EXPECT_FALSE(contacts[3].recorded);
  EXPECT_GT(contacts[3].cdr_id, 0);
  EXPECT_EQ(customers.contacts(*customers.get(created.id), 2).size(), 2u);

  ASSERT_TRUE(cdrs.wrap_up("call-1795000200000", "sale", "ordered two"));
  contacts = customers.contacts(*customers.get(created.id), 50);
  EXPECT_EQ(contacts[2].disposition_code, "sale");
  EXPECT_EQ(contacts[2].notes, "ordered two");

  // A recording the retention deleted is no recording to play.
  {
    soci::session sql(test.db().pool());
    sql << "UPDATE cdrs SET recording_deleted_at = 1 WHERE call_id = 'call-1795000200000'";
  }
  EXPECT_FALSE(customers.contacts(*customers.get(created.id), 50)[2].recorded);

  Customer nobody;
  nobody.name = "No calls";
  EXPECT_TRUE(customers.contacts(customers.create(nobody), 50).empty());
}

}  // namespace
}  // namespace unicc::crm
