"""A flow's lookup aimed at the cloud metadata service (169.254.169.254) on a real
call: unicc refuses it before connecting (the refusal names the rule and takes no
time), the flow takes its on_error branch and the call goes on. Flows that call out
are an admin's to publish. Nothing is sent anywhere but loopback."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sip"))

from ivr_support import IvrServerTest  # noqa: E402  (needs the path above)

METADATA_FLOW = {
    "name": "metadata",
    "dids": ["4060"],
    "start": "lookup",
    "nodes": {
        "lookup": {"type": "http", "method": "GET", "timeout_ms": 3000,
                   "url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/?caller=${caller}",
                   "assign": {"secret": "/AccessKeyId"}, "next": "leaked", "on_error": "refused"},
        "leaked": {"type": "play", "prompt": {"text": "Leaked ${secret}", "voice": "en"}, "next": "wait"},
        "refused": {"type": "play", "prompt": {"text": "Not available", "voice": "en"}, "next": "wait"},
        # Keeps the call up until the caller hangs up.
        "wait": {"type": "menu", "prompt": {"text": "Goodbye", "voice": "en"}, "options": {"1": "bye"},
                 "timeout_ms": 30000, "retries": 0, "on_failure": "bye"},
        "bye": {"type": "hangup"},
    },
}


class OutboundHttpAttackTest(IvrServerTest):
    @classmethod
    def setUpClass(cls):
        cls.start_server("")
        cls.publish(METADATA_FLOW)

    def test_a_lookup_to_the_metadata_address_takes_the_error_branch_without_a_request(self):
        caller, _ = self.listening_caller("8613900003333", "4060")
        trace = self.cdr(caller.trace(), did="4060")["ivr"]
        steps = trace["steps"]
        self.assertEqual([(s["node"], s["exit"]) for s in steps[:2]], [("lookup", "on_error"), ("refused", "next")],
                         trace)
        self.assertEqual(steps[0]["note"], "refused: 169.254.169.254 is link-local (not in the allow list)", trace)
        self.assertLess(steps[0]["ms"], 500, "refused before any connection attempt, not timed out")

    def test_only_admins_publish_flows_that_call_out(self):
        status, body, _ = self.server.call("POST", "/api/v1/users",
                                           {"username": "sup", "password": "sup-Passw0rd", "role": "supervisor"},
                                           token=self.admin)
        self.assertEqual(status, 201, body)
        supervisor = self.server.login("sup", "sup-Passw0rd")
        flow = dict(METADATA_FLOW, name="metadata2", dids=["4061"])
        status, body, _ = self.server.call("POST", "/api/v1/flows", flow, token=supervisor)
        self.assertEqual((status, body["error"]["code"]), (403, "http_node_needs_admin"), body)


if __name__ == "__main__":
    unittest.main()
