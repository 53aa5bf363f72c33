"""Password guessing against `admin`: 500 wrong passwords from one address. The right
password is then refused from that address while it is throttled, but works from
another address at once, from the guessing address once the (short) window has
passed, and always from a trusted network."""
import http.client
import json
import time
import unittest

from harness import Server

WINDOW_S = 3


def login_from(server, source, password, username="admin"):
    """POST /api/v1/login from the loopback address `source` (127.0.0.0/8 is all ours)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10, source_address=(source, 0))
    try:
        connection.request("POST", "/api/v1/login", json.dumps({"username": username, "password": password}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}"), response.getheader("Retry-After")
    finally:
        connection.close()


class LoginAttackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(f'[auth]\nlogin_window_s = {WINDOW_S}\ntrusted_networks = ["127.0.0.3"]\n')

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def guess(self, source, count):
        statuses = {}
        for i in range(count):
            status, _, _ = login_from(self.server, source, f"wrong-guess-{i}")
            statuses[status] = statuses.get(status, 0) + 1
        return statuses

    def test_500_guesses_do_not_lock_the_admin_out_elsewhere(self):
        statuses = self.guess("127.0.0.2", 500)
        self.assertEqual(statuses.get(200), None)
        self.assertEqual(statuses.get(401), 5, statuses)  # auth.login_failures_per_user, then throttled
        self.assertEqual(statuses.get(429), 495, statuses)

        status, body, retry_after = login_from(self.server, "127.0.0.2", "unicc-demo")
        self.assertEqual(status, 429, body)
        self.assertEqual(body["error"]["code"], "too_many_attempts")
        self.assertTrue(retry_after and 1 <= int(retry_after) <= WINDOW_S, retry_after)

        status, body, _ = login_from(self.server, "127.0.0.4", "unicc-demo")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["user"]["username"], "admin")

        time.sleep(WINDOW_S + 0.5)
        status, body, _ = login_from(self.server, "127.0.0.2", "unicc-demo")
        self.assertEqual(status, 200, body)

    def test_a_trusted_network_is_never_throttled(self):
        statuses = self.guess("127.0.0.3", 40)
        self.assertEqual(statuses, {401: 40})
        status, body, _ = login_from(self.server, "127.0.0.3", "unicc-demo")
        self.assertEqual(status, 200, body)



class ManyNamesTest(unittest.TestCase):
    """Its own server with the default window (minutes): twenty password checks take
    longer than the short window above on a loaded machine, and the first guesses
    would leave it before the last is made."""

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)

    def test_guessing_many_names_from_one_address_is_stopped(self):
        for i in range(20):  # auth.login_failures_per_address
            status, _, _ = login_from(self.server, "127.0.0.5", "x-password", username=f"name{i}")
            self.assertEqual(status, 401)
        status, body, _ = login_from(self.server, "127.0.0.5", "unicc-demo")
        self.assertEqual(status, 429, body)
        status, body, _ = login_from(self.server, "127.0.0.6", "unicc-demo")
        self.assertEqual(status, 200, body)


if __name__ == "__main__":
    unittest.main()
