"""Pathological JSON: a flow nested 100,000 levels deep, over the flows API and
through `unicc check-flow`; over-large bodies; an over-deep WebSocket message. Each
is refused with a clear error, and the server stays healthy."""
import os
import subprocess
import tempfile
import time
import unittest

from harness import UNICC, EventStream, Server

DEPTH = 100_000


def deep_flow(depth=DEPTH):
    return ('{"name": "deep", "start": "a", "nodes": {"a": ' + "[" * depth + "]" * depth + "}}").encode()


class InputAttackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def assert_healthy(self):
        began = time.time()
        status, body, _ = self.server.call("GET", "/api/v1/health")
        self.assertEqual((status, body["status"]), (200, "ok"), body)
        self.assertLess(time.time() - began, 1.0)
        self.assertIsNone(self.server.process.poll(), "the server exited")

    def test_a_flow_nested_100000_deep_is_refused_over_rest(self):
        for path in ("/api/v1/flows", "/api/v1/flows/deep/validate"):
            status, body, _ = self.server.call("POST", path, deep_flow(), token=self.admin)
            self.assertIn(status, (400, 422), body)
            text = str(body)
            self.assertTrue("json_too_deep" in text or "nested deeper than 64 levels" in text, body)
        status, _, _ = self.server.call("GET", "/api/v1/flows/deep", token=self.admin)
        self.assertEqual(status, 404, "nothing was stored")
        self.assert_healthy()

    def test_every_rest_body_has_the_depth_limit(self):
        deep = b'{"username": "admin", "password": ' + b"[" * DEPTH + b"]" * DEPTH + b"}"
        status, body, _ = self.server.call("POST", "/api/v1/login", deep)
        self.assertEqual((status, body["error"]["code"]), (400, "json_too_deep"), body)
        deep_object = b'{"a":' * DEPTH + b"1" + b"}" * DEPTH
        status, body, _ = self.server.call("POST", "/api/v1/users", deep_object, token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (400, "json_too_deep"), body)
        self.assert_healthy()

    def test_over_large_bodies_get_413(self):
        huge = b'{"name": "' + b"x" * (2 << 20) + b'"}'
        status, body, _ = self.server.call("POST", "/api/v1/flows", huge, token=self.admin)
        self.assertEqual(status, 413, body)
        self.assertEqual(body["error"]["code"], "body_too_large")
        self.assert_healthy()

    def test_check_flow_names_the_problem_and_its_line(self):
        handle, path = tempfile.mkstemp(prefix="unicc-deep-", suffix=".json")
        with os.fdopen(handle, "wb") as f:
            f.write(deep_flow(1_000_000)[:1 << 20])  # as deep as the size limit lets a file be
        self.addCleanup(os.remove, path)
        began = time.time()
        result = subprocess.run([UNICC, "check-flow", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"{path}:1: nested deeper than 64 levels", result.stderr)
        self.assertLess(time.time() - began, 10)

    def test_an_over_deep_websocket_message_is_answered_and_the_stream_stays_open(self):
        stream = EventStream(self.server, self.admin)
        self.addCleanup(stream.close)
        stream.send("[" * 30_000 + "]" * 10)  # within the 64 KiB message limit, far beyond the depth one
        stream.send('{"type": "ping", "id": "after"}')
        deadline = time.time() + 5
        while time.time() < deadline and not stream.of_type("pong"):
            time.sleep(0.05)
        errors = stream.of_type("error")
        self.assertTrue(errors and errors[0]["error"]["code"] == "json_too_deep", stream.messages)
        self.assertEqual(stream.of_type("pong"), [{"type": "pong", "id": "after"}])
        self.assertFalse(stream.closed.is_set())
        self.assert_healthy()


if __name__ == "__main__":
    unittest.main()
