"""Agents over REST: states change through the API and are logged; after a restart
every agent is logged out again, with the reason in its state log and the audit log;
the desktop's code lists come from the configuration file."""
import time
import unittest

from harness import EventStream, Server

AGENTS = ('[[queue]]\nname = "sales"\n'
          '[[agent]]\nextension = "1002"\nname = "Li Na"\nqueues = "sales"\n'
          '[[agent]]\nextension = "1003"\nname = "Tom"\nqueues = "sales"\n'
          '[[not_ready_reason]]\ncode = "coaching"\nen = "Coaching"\nzh = "辅导"\n'
          '[[not_ready_reason]]\ncode = "break"\nen = "Break"\n')


class AgentsTest(unittest.TestCase):
    def setUp(self):
        self.server = Server(extra_config=AGENTS)
        self.token = self.server.login()

    def tearDown(self):
        self.server.stop()

    def call(self, method, path, body=None):
        return self.server.call(method, path, body, token=self.token)

    def states(self, extension):
        status, body, _ = self.call("GET", f"/api/v1/agents/{extension}/states")
        self.assertEqual(status, 200, body)
        return [(change["to"], change["reason"]) for change in reversed(body["items"])]

    def eventually(self, condition, seconds=5):
        deadline = time.time() + seconds
        while not condition() and time.time() < deadline:
            time.sleep(0.1)
        return condition()

    def test_states_change_over_rest_with_clear_errors(self):
        stream = EventStream(self.server, self.token)
        self.addCleanup(stream.close)
        status, body, _ = self.call("POST", "/api/v1/agents/1002/state", {"state": "not_ready", "reason": "break"})
        self.assertEqual((status, body["state"], body["reason"]), (200, "not_ready", "break"), body)
        # Supervisors see the change as the agent is listed, queues included.
        # (Logging in passes through not_ready with the reason "login" first.)
        breaks = lambda: [e for e in stream.of_type("agent") if e["reason"] == "break"]  # noqa: E731
        self.assertTrue(self.eventually(breaks), stream.of_type("agent"))
        event = breaks()[0]
        self.assertEqual((event["extension"], event["state"], event["queues"]), ("1002", "not_ready", ["sales"]), event)
        status, body, _ = self.call("POST", "/api/v1/agents/1002/state", {"state": "ready"})
        self.assertEqual((status, body["state"], body["queues"]), (200, "ready", ["sales"]), body)
        status, body, _ = self.call("POST", "/api/v1/agents/1002/state", {"state": "asleep"})
        self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
        status, body, _ = self.call("POST", "/api/v1/agents/9999/state", {"state": "ready"})
        self.assertEqual((status, body["error"]["code"]), (404, "not_found"), body)
        status, body, _ = self.server.call("GET", "/api/v1/agents")
        self.assertEqual(status, 401, body)
        self.assertTrue(self.eventually(lambda: self.states("1002")[-1:] == [("ready", "")]))
        self.assertEqual(self.states("1002"), [("not_ready", "login"), ("not_ready", "break"), ("ready", "")])

    def test_the_code_lists_come_from_the_file_or_the_defaults(self):
        agent = self.server.login("agent1001", "unicc-demo")
        status, body, _ = self.server.call("GET", "/api/v1/cti/codes", token=agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["not_ready_reasons"],
                         [{"code": "coaching", "label": {"en": "Coaching", "zh-CN": "辅导"}},
                          {"code": "break", "label": {"en": "Break", "zh-CN": "Break"}}])
        self.assertEqual(len(body["dispositions"]), 7)
        self.assertEqual(body["dispositions"][0],
                         {"code": "resolved", "label": {"en": "Resolved", "zh-CN": "已解决"}})
        self.assertEqual(self.server.call("GET", "/api/v1/cti/codes")[0], 401)

    def test_a_restart_logs_agents_out_and_says_why(self):
        self.call("POST", "/api/v1/agents/1002/state", {"state": "ready"})
        self.assertTrue(self.eventually(lambda: self.states("1002")[-1:] == [("ready", "")]))
        self.server.restart()
        self.token = self.server.login()
        status, body, _ = self.call("GET", "/api/v1/agents")
        self.assertEqual({a["extension"]: a["state"] for a in body["items"]}, {"1002": "logged_out", "1003": "logged_out"})
        self.assertTrue(self.eventually(lambda: self.states("1002")[-1:] == [("logged_out", "restart")]),
                        self.states("1002"))
        self.assertEqual(self.states("1003"), [])  # never logged in: nothing to close
        status, body, _ = self.call("GET", "/api/v1/audit?action=agent.logged_out")
        self.assertEqual(status, 200, body)
        self.assertEqual([(e["target"], e["actor"]) for e in body["items"]], [("agent:1002", "system")], body)


if __name__ == "__main__":
    unittest.main()
