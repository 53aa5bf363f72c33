"""The web and API over HTTPS, and the client address behind a reverse proxy.

With a certificate configured the port speaks only HTTPS and WSS: a plain HTTP
request is not answered, a renewed certificate is used without a restart, and a
broken one is refused while the old one keeps serving. X-Forwarded-For counts only
from a trusted proxy, and only its rightmost untrusted entry: a client cannot pick
the address it is throttled and audited under."""
import http.client
import json
import os
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import EventStream, Server

PROXY = "127.0.0.5"
CHECK_S = 5  # how often the server looks at the certificate files


def make_certificate(folder, name):
    """A self-signed certificate for 127.0.0.1; returns (certificate, key) paths."""
    certificate, key = os.path.join(folder, name + ".pem"), os.path.join(folder, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate],
                   check=True, capture_output=True)
    return certificate, key


def served_certificate(port):
    """The DER certificate a new TLS connection to `port` is offered."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def der_of(path):
    with open(path) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def login_via(server, source, password, forwarded_for=None, username="admin"):
    """POST /api/v1/login over HTTPS from `source`, with an X-Forwarded-For header."""
    connection = http.client.HTTPSConnection("127.0.0.1", server.port, timeout=10, source_address=(source, 0),
                                             context=server.client_tls)
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    try:
        connection.request("POST", "/api/v1/login", json.dumps({"username": username, "password": password}),
                           headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


class HttpsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="unicc-https-")
        cls.certificate, cls.key = make_certificate(cls.folder, "first")
        client = ssl.create_default_context(cafile=cls.certificate)
        cls.server = Server(http_config=(f'tls_certificate = "{cls.certificate}"\ntls_private_key = "{cls.key}"\n'
                                         f'trusted_proxies = ["{PROXY}"]\n'),
                            client_tls=client)
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_api_and_event_stream_over_tls(self):
        status, body, _ = self.server.call("GET", "/api/v1/users", token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertIn("admin", [user["username"] for user in body["items"]])
        stream = EventStream(self.server, self.admin)
        self.addCleanup(stream.close)
        deadline = time.time() + 5
        while not stream.of_type("hello") and time.time() < deadline:
            time.sleep(0.02)
        self.assertTrue(stream.of_type("hello"))

    def test_plain_http_is_not_answered(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as plain:
            plain.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            try:
                while chunk := plain.recv(4096):
                    answer += chunk
            except (ConnectionResetError, socket.timeout):
                pass
        self.assertFalse(answer.startswith(b"HTTP/"), answer[:80])
        self.assertEqual(self.server.call("GET", "/api/v1/health")[0], 200)

    def test_a_renewed_certificate_is_used_without_a_restart_and_a_broken_one_is_not(self):
        first = der_of(self.certificate)
        self.assertEqual(served_certificate(self.server.port), first)
        # A half-written renewal: the old certificate keeps serving.
        with open(self.certificate, "a") as f:
            f.write("-----BEGIN CERTIFICATE-----\ngarbage\n")
        time.sleep(CHECK_S + 0.5)
        self.assertEqual(served_certificate(self.server.port), first)
        self.assertIn("keeping the certificate in use", self.server.stderr() + self.server.stdout())
        # The real renewal, moved into place as a certificate manager does.
        new_certificate, new_key = make_certificate(self.folder, "second")
        os.replace(new_key, self.key)
        os.replace(new_certificate, self.certificate)
        deadline = time.time() + CHECK_S + 5
        while served_certificate(self.server.port) == first and time.time() < deadline:
            time.sleep(0.5)
        self.assertEqual(served_certificate(self.server.port), der_of(self.certificate))
        self.server.client_tls = ssl.create_default_context(cafile=self.certificate)
        self.assertEqual(self.server.call("GET", "/api/v1/health")[0], 200)

    def test_forwarded_for_counts_only_from_a_trusted_proxy(self):
        # Through the proxy, the client it names is who signs in (and is audited).
        status, body = login_via(self.server, PROXY, "unicc-demo", "10.9.8.7, 198.51.100.7")
        self.assertEqual(status, 200, body)
        status, audit, _ = self.server.call("GET", "/api/v1/audit?limit=5", token=self.admin)
        self.assertEqual(audit["items"][0]["action"], "login")
        self.assertEqual(audit["items"][0]["source"], "198.51.100.7")

        # A guesser behind the proxy is throttled under its own address, whatever it
        # writes to the left of the header; other clients of the proxy are not.
        statuses = [login_via(self.server, PROXY, "wrong", f"10.0.0.{i}, 203.0.113.9", username=f"user{i}")[0]
                    for i in range(25)]
        self.assertEqual(statuses.count(429), 5, statuses)
        self.assertEqual(login_via(self.server, PROXY, "unicc-demo", "203.0.113.9")[0], 429)
        self.assertEqual(login_via(self.server, PROXY, "unicc-demo", "198.51.100.8")[0], 200)

        # From anyone else the header is ignored: changing it every time does not help.
        statuses = [login_via(self.server, "127.0.0.6", "wrong", f"192.0.2.{i}", username=f"user{i}")[0]
                    for i in range(25)]
        self.assertEqual(statuses.count(429), 5, statuses)
        status, audit, _ = self.server.call("GET", "/api/v1/audit?limit=5", token=self.admin)
        self.assertNotIn("192.0.2.", json.dumps(audit))


if __name__ == "__main__":
    unittest.main()
