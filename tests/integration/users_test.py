"""Users with extensions against the running server: the demo's agents sign in with
the demo password; an admin gives a new agent an extension, and the agent sees it."""
import unittest

from harness import Server


class UserExtensionsTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.admin = self.server.login()

    def me(self, token):
        status, body, _ = self.server.call("GET", "/api/v1/me", token=token)
        self.assertEqual(status, 200, body)
        return body

    def test_demo_agents_sign_in_on_the_extensions_the_queues_ring(self):
        self.assertIn("users 'agent1001' (extension 1001) and 'agent1002' (1002)", self.server.stdout())
        for username, extension in (("agent1001", "1001"), ("agent1002", "1002")):
            me = self.me(self.server.login(username, "unicc-demo"))
            self.assertEqual((me["username"], me["role"], me["extension"]), (username, "agent", extension))

    def test_a_new_agent_signs_in_and_sees_their_extension(self):
        status, body, _ = self.server.call("POST", "/api/v1/users",
                                           {"username": "lin", "password": "tea-at-five-42", "role": "agent",
                                            "extension": "1005"}, token=self.admin)
        self.assertEqual((status, body["extension"]), (201, "1005"), body)
        status, body, _ = self.server.call("POST", "/api/v1/login",
                                           {"username": "lin", "password": "tea-at-five-42"})
        self.assertEqual((status, body["user"]["extension"]), (200, "1005"), body)
        self.assertEqual(self.me(body["token"])["extension"], "1005")

        status, body, _ = self.server.call("POST", "/api/v1/users",
                                           {"username": "max", "password": "tea-at-five-42", "role": "agent",
                                            "extension": "1005"}, token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (409, "extension_taken"), body)
        status, body, _ = self.server.call("POST", "/api/v1/users",
                                           {"username": "max", "password": "tea-at-five-42", "role": "agent",
                                            "extension": "4711"}, token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)


if __name__ == "__main__":
    unittest.main()
