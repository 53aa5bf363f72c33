"""Skills, queues and agents over REST: stored in the database, carried into the running
ACD (an agent with the right skill serves the queue at once), refused with clear errors,
audited, and kept across a restart even when the configuration file seeds the same queue."""
import unittest

from harness import Server

SEED = '[[queue]]\nname = "sales"\nstrategy = "round_robin"\n'


class AcdConfigTest(unittest.TestCase):
    def setUp(self):
        self.server = Server(extra_config=SEED)
        self.token = self.server.login()

    def tearDown(self):
        self.server.stop()

    def call(self, method, path, body=None, expect=None):
        status, reply, _ = self.server.call(method, path, body, token=self.token)
        if expect is not None:
            self.assertEqual(status, expect, reply)
        return status, reply

    def test_skills_queues_and_agents_reach_the_running_acd(self):
        self.call("PUT", "/api/v1/skills/english", {"description": "English speakers"}, expect=200)
        self.call("PUT", "/api/v1/skills/billing", {}, expect=200)
        _, skills = self.call("GET", "/api/v1/skills", expect=200)
        self.assertEqual([s["name"] for s in skills["items"]], ["billing", "english"])

        _, queue = self.call("PUT", "/api/v1/queues/support", {
            "strategy": "best_skill", "skills": [{"skill": "english", "min_level": 5}],
            "announce_position": True, "announce_every_s": 60, "callback_key": "*"}, expect=201)
        self.assertEqual((queue["name"], queue["strategy"], queue["ring_timeout_s"]), ("support", "best_skill", 20))
        self.assertEqual(queue["status"]["logged_in"], 0)

        # Level 3 is below the queue's minimum: the agent does not serve it.
        _, agent = self.call("PUT", "/api/v1/agents/1004", {
            "name": "Li Na", "skills": [{"skill": "english", "level": 3}]}, expect=201)
        self.assertEqual((agent["state"], agent["queues"]), ("logged_out", []))
        _, agent = self.call("PATCH", "/api/v1/agents/1004", {"skills": [{"skill": "english", "level": 7}]},
                             expect=200)
        self.assertEqual((agent["name"], agent["queues"]), ("Li Na", ["support"]))

        self.call("POST", "/api/v1/agents/1004/state", {"state": "ready"}, expect=200)
        _, queue = self.call("GET", "/api/v1/queues/support", expect=200)
        self.assertEqual((queue["status"]["logged_in"], queue["status"]["ready"]), (1, 1), queue)

        # Raising the minimum while the agent is ready takes them out of the queue.
        _, queue = self.call("PATCH", "/api/v1/queues/support",
                             {"skills": [{"skill": "english", "min_level": 9}]}, expect=200)
        self.assertEqual((queue["strategy"], queue["callback_key"], queue["status"]["logged_in"]),
                         ("best_skill", "*", 0), queue)
        _, agents = self.call("GET", "/api/v1/agents", expect=200)
        self.assertEqual({a["extension"]: a["queues"] for a in agents["items"]}, {"1004": []})
        # The list carries each agent's skills and groups as last saved.
        self.call("PATCH", "/api/v1/agents/1004", {"groups": ["cantonese", "walk-in"]}, expect=200)
        _, agents = self.call("GET", "/api/v1/agents", expect=200)
        self.assertEqual([(a["skills"], a["groups"]) for a in agents["items"]],
                         [([{"skill": "english", "level": 7}], ["cantonese", "walk-in"])])

        _, audit = self.call("GET", "/api/v1/audit?action=queue.saved", expect=200)
        self.assertEqual([e["target"] for e in audit["items"]], ["queue:support", "queue:support"])

    def test_bad_input_is_refused_with_the_field_named(self):
        _, reply = self.call("PUT", "/api/v1/queues/support", {"strategy": "fastest"}, expect=400)
        self.assertEqual(reply["error"]["code"], "invalid_field")
        self.assertTrue(reply["error"]["message"].startswith("strategy: must be one of"), reply)
        _, reply = self.call("PUT", "/api/v1/queues/support", {"skills": [{"skill": "x", "min_level": 0}]},
                             expect=400)
        self.assertEqual(reply["error"]["message"], "skills[0].min_level: must be an integer from 1 to 10")
        _, reply = self.call("PUT", "/api/v1/queues/support", {"skills": [{"skill": "klingon"}]}, expect=422)
        self.assertEqual(reply["error"]["details"], ["skill 'klingon' does not exist"])
        _, reply = self.call("PUT", "/api/v1/queues/support", {"name": "other"}, expect=400)
        self.assertIn("must match the URL", reply["error"]["message"])
        self.call("PUT", "/api/v1/queues/bad%20name", {}, expect=400)
        self.call("PATCH", "/api/v1/queues/nowhere", {}, expect=404)
        status, reply, _ = self.server.call("PUT", "/api/v1/queues/x", {}, token=None)
        self.assertEqual(status, 401, reply)
        status, reply, _ = self.server.call("PUT", "/api/v1/queues/x", None, token=self.token)
        self.assertEqual(status, 400, reply)
        _, reply = self.call("PUT", "/api/v1/queues/support", {"overflow": {"flow": "../etc"}}, expect=400)
        self.assertEqual(reply["error"]["message"],
                         "overflow.flow: must be a flow name: 1-64 letters, digits, '_' or '-'")
        _, queues = self.call("GET", "/api/v1/queues", expect=200)
        self.assertEqual([q["name"] for q in queues["items"]], ["sales"])  # nothing half-made
        _, reply = self.call("GET", "/api/v1/callbacks?state=lost", expect=400)
        self.assertEqual(reply["error"]["code"], "invalid_parameter")
        _, reply = self.call("GET", "/api/v1/callbacks?state=waiting&limit=5", expect=200)
        self.assertEqual((reply["items"], reply["total"]), ([], 0))

        # What is in use stays.
        self.call("PUT", "/api/v1/skills/english", {}, expect=200)
        self.call("PUT", "/api/v1/agents/1004", {"skills": [{"skill": "english", "level": 4}], "groups": ["sales"]},
                  expect=201)
        _, reply = self.call("DELETE", "/api/v1/skills/english", expect=409)
        self.assertEqual(reply["error"]["details"], ["agent 1004 has it"])
        self.call("PUT", "/api/v1/queues/backup", {}, expect=201)
        self.call("PATCH", "/api/v1/queues/sales", {"overflow": {"queue": "backup"}}, expect=200)
        _, reply = self.call("DELETE", "/api/v1/queues/backup", expect=409)
        self.assertEqual(reply["error"]["details"], ["queue 'sales' overflows to it"])
        self.call("POST", "/api/v1/agents/1004/state", {"state": "ready"}, expect=200)
        _, reply = self.call("DELETE", "/api/v1/agents/1004", expect=409)
        self.assertIn("log them out first", reply["error"]["message"])
        self.call("POST", "/api/v1/agents/1004/state", {"state": "logged_out"}, expect=200)
        self.call("DELETE", "/api/v1/agents/1004", expect=204)
        self.call("GET", "/api/v1/agents/1004", expect=404)
        self.call("DELETE", "/api/v1/skills/english", expect=204)

    def test_changes_survive_a_restart_and_the_file_does_not_undo_them(self):
        _, queue = self.call("GET", "/api/v1/queues/sales", expect=200)
        self.assertEqual(queue["strategy"], "round_robin")  # seeded from the file
        self.call("PATCH", "/api/v1/queues/sales", {"strategy": "linear", "wrap_up_s": 10}, expect=200)
        self.call("PUT", "/api/v1/agents/1005", {"name": "Tom", "groups": ["sales"]}, expect=201)
        self.server.restart()
        self.token = self.server.login()
        _, queue = self.call("GET", "/api/v1/queues/sales", expect=200)
        self.assertEqual((queue["strategy"], queue["wrap_up_s"]), ("linear", 10))
        _, agent = self.call("GET", "/api/v1/agents/1005", expect=200)
        self.assertEqual((agent["name"], agent["queues"], agent["state"]), ("Tom", ["sales"], "logged_out"))


if __name__ == "__main__":
    unittest.main()
