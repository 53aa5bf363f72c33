"""Event streams end with the rights they were opened with: a supervisor's open
WebSocket is closed within 1 s when an admin disables the user or changes the role,
and a logged-out token's stream closes at once; other streams stay open."""
import time
import unittest

from harness import EventStream, Server

POLICY_VIOLATION = 1008


class WebSocketAttackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.admin = cls.server.login()
        cls.admin_stream = EventStream(cls.server, cls.admin)

    @classmethod
    def tearDownClass(cls):
        cls.admin_stream.close()
        cls.server.stop()

    def make_user(self, name, role, **fields):
        status, body, _ = self.server.call("POST", "/api/v1/users",
                                           {"username": name, "password": name + "-Passw0rd", "role": role, **fields},
                                           token=self.admin)
        self.assertEqual(status, 201, body)
        return body["id"], self.server.login(name, name + "-Passw0rd")

    def open_stream(self, token):
        stream = EventStream(self.server, token)
        self.addCleanup(stream.close)
        deadline = time.time() + 5
        while not stream.of_type("hello") and time.time() < deadline:
            time.sleep(0.02)
        self.assertTrue(stream.of_type("hello"))
        return stream

    def assert_closed_within(self, stream, seconds, began):
        self.assertTrue(stream.wait_closed(seconds), "the stream is still open")
        self.assertLess(time.time() - began, seconds)
        self.assertEqual(stream.close_code, POLICY_VIOLATION)

    def test_disabling_a_user_closes_their_stream_at_once(self):
        user_id, token = self.make_user("sup1", "supervisor")
        stream = self.open_stream(token)
        began = time.time()
        status, body, _ = self.server.call("PATCH", f"/api/v1/users/{user_id}", {"disabled": True}, token=self.admin)
        self.assertEqual(status, 200, body)
        self.assert_closed_within(stream, 1.0, began)
        with self.assertRaises(RuntimeError):
            EventStream(self.server, token)  # nor can it open a new one
        self.assertFalse(self.admin_stream.closed.is_set())

    def test_a_role_change_closes_the_stream(self):
        user_id, token = self.make_user("agent1", "agent", extension="1005")
        stream = self.open_stream(token)
        began = time.time()
        status, body, _ = self.server.call("PATCH", f"/api/v1/users/{user_id}", {"role": "supervisor"},
                                           token=self.admin)
        self.assertEqual(status, 200, body)
        self.assert_closed_within(stream, 1.0, began)

    def test_logging_out_closes_that_tokens_stream_only(self):
        _, token = self.make_user("sup2", "supervisor")
        other_token = self.server.login("sup2", "sup2-Passw0rd")
        stream, other = self.open_stream(token), self.open_stream(other_token)
        began = time.time()
        status, _, _ = self.server.call("POST", "/api/v1/logout", token=token)
        self.assertEqual(status, 204)
        self.assert_closed_within(stream, 1.0, began)
        time.sleep(0.3)
        self.assertFalse(other.closed.is_set(), "the user's other session keeps its stream")
        self.assertFalse(self.admin_stream.closed.is_set())


if __name__ == "__main__":
    unittest.main()
