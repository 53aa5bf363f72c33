"""`unicc serve --demo` as a newcomer meets it: banner, health, login, the web page,
metrics, JSON logs, and a port that is already taken."""
import json
import os
import re
import socket
import subprocess
import tempfile
import unittest

from harness import UNICC, Server


class DemoServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_config='[log]\nformat = "json"\n')

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_banner_shows_url_and_demo_credentials_with_a_warning(self):
        out = self.server.stdout()
        self.assertIn(f"http://127.0.0.1:{self.server.port}/", out)
        self.assertIn("user 'admin', password 'unicc-demo'", out)
        self.assertIn("evaluation only", out)

    def test_health_and_demo_login(self):
        status, body, _ = self.server.call("GET", "/api/v1/health")
        self.assertEqual((status, body["status"]), (200, "ok"))
        token = self.server.login()
        status, me, _ = self.server.call("GET", "/api/v1/me", token=token)
        self.assertEqual((status, me["username"], me["role"]), (200, "admin", "admin"))

    def test_web_page_is_served(self):
        status, page, headers = self.server.call("GET", "/")
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["Content-Type"])
        self.assertIn("<title>unicc</title>", page)
        # The app is bundled by Vite (web/): index.html names its hashed script.
        match = re.search(r'<script type="module"[^>]* src="(/assets/[^"]+\.js)"', page)
        self.assertIsNotNone(match, page)
        status, script, headers = self.server.call("GET", match.group(1))
        self.assertEqual(status, 200)
        self.assertIn("javascript", headers["Content-Type"])
        self.assertIn('"/login"', script)
        # Pages live behind the hash; any other path without an extension is the app too.
        status, page, _ = self.server.call("GET", "/agents")
        self.assertEqual((status, "<title>unicc</title>" in page), (200, True))

    def test_client_mistakes_get_json_errors(self):
        cases = [("POST", "/api/v1/login", b"{broken", 400, "bad_json"),
                 ("POST", "/api/v1/login", b'{"username":"a","password":"b","x":1}', 400, "unknown_field"),
                 ("GET", "/api/v1/no-such-thing", None, 404, "not_found"),
                 ("DELETE", "/api/v1/health", None, 405, "method_not_allowed"),
                 ("GET", "/api/v1/users", None, 401, "unauthorized"),
                 ("POST", "/api/v1/login", b"x" * (2 * 1024 * 1024), 413, "body_too_large")]
        for method, path, body, status, code in cases:
            got_status, got, _ = self.server.call(method, path, body)
            self.assertEqual((got_status, got["error"]["code"]), (status, code), (method, path))
            self.assertTrue(got["error"]["message"])

    def test_metrics_in_prometheus_format(self):
        self.server.call("GET", "/api/v1/health")
        status, text, _ = self.server.call("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn("# TYPE unicc_http_responses_total counter", text)
        self.assertRegex(text, r'unicc_http_responses_total\{code="2xx"\} [1-9]')

    def test_logs_are_json_lines_when_configured(self):
        lines = [l for l in self.server.stderr().splitlines() if l.strip()]
        self.assertTrue(lines)
        for line in lines:
            entry = json.loads(line)
            self.assertIn(entry["level"], {"info", "warning", "warn", "error"})
            self.assertIn("msg", entry)


class PortTakenTest(unittest.TestCase):
    def test_a_taken_port_is_a_clear_error(self):
        with socket.socket() as blocker:
            blocker.bind(("127.0.0.1", 0))
            blocker.listen()
            port = blocker.getsockname()[1]
            d = tempfile.mkdtemp()
            cfg = os.path.join(d, "c.toml")
            with open(cfg, "w") as f:
                f.write(f'[http]\nport = {port}\n[database]\nurl = "sqlite:{d}/x.db"\n')
            result = subprocess.run([UNICC, "serve", "--config", cfg], capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)


if __name__ == "__main__":
    unittest.main()
