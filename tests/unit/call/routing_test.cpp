#include "call/routing.h"

#include <gtest/gtest.h>

#include "sip/trunk_registrations.h"

namespace unicc::call {
namespace {

class NumberPlanTest : public ::testing::Test {
 protected:
  NumberPlanTest() {
    core::TrunkConfig carrier;
    carrier.name = "carrier";
    carrier.address = "192.0.2.10";
    carrier.port = 5060;
    carrier.outbound_prefix = "0";
    core::TrunkConfig tcp;
    tcp.name = "tcp-carrier";
    tcp.address = "192.0.2.20";
    tcp.transport = "tcp";
    trunks = {carrier, tcp};
    dids = {{"4000-4099", "1001"}, {"800", "1002"}};
  }

  std::vector<core::TrunkConfig> trunks;
  std::vector<core::DidConfig> dids;
};

TEST_F(NumberPlanTest, TrunksAreRecognisedByAddressAndUdpPort) {
  NumberPlan plan(trunks, dids);
  using sip::Endpoint;
  using sip::Transport;
  EXPECT_EQ(plan.trunk_at(Endpoint{Transport::kUdp, "192.0.2.10", 5060, 0})->name, "carrier");
  EXPECT_EQ(plan.trunk_at(Endpoint{Transport::kUdp, "192.0.2.10", 5062, 0}), nullptr);
  EXPECT_EQ(plan.trunk_at(Endpoint{Transport::kTcp, "192.0.2.10", 5060, 0}), nullptr);
  EXPECT_EQ(plan.trunk_at(Endpoint{Transport::kTcp, "192.0.2.20", 40123, 7})->name, "tcp-carrier");
  EXPECT_EQ(plan.trunk_at(Endpoint{Transport::kUdp, "198.51.100.1", 5060, 0}), nullptr);
}

TEST_F(NumberPlanTest, ATlsTrunkWithANameIsRecognisedOnlyByItsVerifiedCertificate) {
  core::TrunkConfig tls;
  tls.name = "tls-carrier";
  tls.address = "192.0.2.30";
  tls.transport = "tls";
  tls.tls_name = "sip.carrier.example";
  trunks.push_back(tls);
  NumberPlan plan(trunks, dids);
  using sip::Endpoint;
  using sip::Transport;
  Endpoint source{Transport::kTls, "192.0.2.30", 40999, 3};
  EXPECT_EQ(plan.trunk_at(source), nullptr);  // no verified certificate
  source.tls_names = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"other.example"});
  EXPECT_EQ(plan.trunk_at(source), nullptr);
  source.tls_names = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"edge.carrier.example", "sip.carrier.example"});
  EXPECT_EQ(plan.trunk_at(source)->name, "tls-carrier");
  source.transport = Transport::kTcp;  // the same address over TCP is not the TLS trunk
  EXPECT_EQ(plan.trunk_at(source), nullptr);
  EXPECT_EQ(sip::trunk_transport(tls), Transport::kTls);
}

TEST_F(NumberPlanTest, TrunkCallsReachOnlyDids) {
  NumberPlan plan(trunks, dids);
  EXPECT_EQ(plan.route_from_trunk("4000")->number, "1001");
  EXPECT_EQ(plan.route_from_trunk("4099")->number, "1001");
  EXPECT_EQ(plan.route_from_trunk("800")->number, "1002");
  EXPECT_FALSE(plan.route_from_trunk("4100"));
  EXPECT_FALSE(plan.route_from_trunk("400"));    // shorter than the range's numbers
  EXPECT_FALSE(plan.route_from_trunk("40000"));  // longer
  EXPECT_FALSE(plan.route_from_trunk("1001"));   // extensions are not reachable from outside
}

TEST_F(NumberPlanTest, PhonesReachExtensionsDidsAndTheOutsideByPrefix) {
  NumberPlan plan(trunks, dids);
  auto extension = plan.route_from_phone("1002", true);
  EXPECT_EQ(extension->kind, Destination::Kind::kExtension);
  EXPECT_EQ(extension->number, "1002");
  EXPECT_EQ(plan.route_from_phone("4005", false)->number, "1001");
  auto outside = plan.route_from_phone("013800138000", false);
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->kind, Destination::Kind::kTrunk);
  EXPECT_EQ(outside->number, "13800138000");
  EXPECT_EQ(outside->trunk->name, "carrier");
  EXPECT_FALSE(plan.route_from_phone("0", false));  // the prefix alone dials nothing
  EXPECT_FALSE(plan.route_from_phone("5555", false));
}

}  // namespace
}  // namespace unicc::call
