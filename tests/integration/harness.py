"""Starts the real `unicc` binary for integration tests and talks to it over HTTP.

Every server runs on 127.0.0.1 at a free port with its own temporary folder and
SQLite database (or the database URL it is given), and is stopped by its PID at the end.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

UNICC = os.environ["UNICC_BIN"]
SOURCE_DIR = os.environ["UNICC_SOURCE_DIR"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, body=None, token=None, timeout=10, context=None):
    """Returns (status, parsed JSON or text, headers); `context` for HTTPS."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    text = raw.decode("utf-8", "replace")
    if headers.get("Content-Type", "").startswith("application/json") and text:
        return status, json.loads(text), headers
    return status, text, headers


class Server:
    def __init__(self, extra_config="", demo=True, database_url=None, http_config="", client_tls=None):
        """`http_config` goes into the [http] table; `client_tls` (an ssl.SSLContext
        trusting the server's certificate) makes every client speak HTTPS/WSS."""
        self.dir = tempfile.mkdtemp(prefix="unicc-it-")
        self.port = free_port()
        self.db_path = os.path.join(self.dir, "unicc.db")
        self.config_path = os.path.join(self.dir, "unicc.toml")
        # Servers run side by side under ctest -j: none may take the default SIP port.
        if "[sip]" not in extra_config:
            extra_config = f"[sip]\nport = {free_port()}\n{extra_config}"
        with open(self.config_path, "w") as f:
            f.write(f'[http]\nport = {self.port}\nweb_root = "{SOURCE_DIR}/web/dist"\n{http_config}\n'
                    f'[database]\nurl = "{database_url or "sqlite:" + self.db_path}"\n{extra_config}\n')
        self.client_tls = client_tls
        self.base = f"{'https' if client_tls else 'http'}://127.0.0.1:{self.port}"
        self.stdout_path = os.path.join(self.dir, "stdout.log")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        self.args = [UNICC, "serve", "--config", self.config_path] + (["--demo"] if demo else [])
        self.start()

    def start(self):
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.process = subprocess.Popen(self.args, stdout=out, stderr=err, cwd=self.dir)
        self.wait_ready()

    def restart(self):
        """Stops the server (SIGTERM) and starts it again on the same configuration and database."""
        self.stop()
        self.start()

    def wait_ready(self, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("unicc exited early:\n" + self.stderr())
            try:
                if request(self.base, "GET", "/api/v1/health", timeout=1, context=self.client_tls)[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("unicc did not become ready:\n" + self.stderr())

    def call(self, method, path, body=None, token=None):
        return request(self.base, method, path, body, token, context=self.client_tls)

    def login(self, username="admin", password="unicc-demo"):
        status, body, _ = self.call("POST", "/api/v1/login", {"username": username, "password": password})
        assert status == 200, body
        return body["token"]

    def stdout(self):
        with open(self.stdout_path) as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout)


class EventStream:
    """A WebSocket client of /api/v1/events (RFC 6455, text frames only): collects
    the JSON messages the server sends, on a thread, until close()."""

    def __init__(self, server, token):
        import base64
        import threading
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        if server.client_tls:
            self.sock = server.client_tls.wrap_socket(self.sock, server_hostname="127.0.0.1")
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           f"Sec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("event stream closed during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("event stream refused: " + head.decode(errors="replace"))
        # Streams are quiet for long stretches; close() wakes the reader by shutdown.
        self.sock.settimeout(None)
        self.messages = []
        self.lock = threading.Lock()
        self.close_code = None  # from the server's close frame
        self.closed = threading.Event()  # set once the server closed the stream
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        # The server subscribes the stream to events after the handshake's answer, then
        # says hello: until then an event (a call offered at once) could pass it by.
        deadline = time.time() + 10
        while not self.of_type("hello") and not self.closed.is_set() and time.time() < deadline:
            time.sleep(0.01)

    def _read(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _run(self):
        try:
            while True:
                first, second = self._read(2)
                length = second & 0x7F
                if length == 126:
                    length = int.from_bytes(self._read(2), "big")
                elif length == 127:
                    length = int.from_bytes(self._read(8), "big")
                payload = self._read(length)
                if first & 0x0F == 1:
                    with self.lock:
                        self.messages.append(json.loads(payload.decode()))
                elif first & 0x0F == 8:
                    if len(payload) >= 2:
                        self.close_code = int.from_bytes(payload[:2], "big")
                    return
        except (EOFError, OSError):
            return
        finally:
            self.closed.set()

    def send(self, text):
        """Sends one text frame (masked, as a client must)."""
        payload = text.encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            head = bytes([0x81, 0x80 | length])
        elif length < 65536:
            head = bytes([0x81, 0x80 | 126]) + length.to_bytes(2, "big")
        else:
            head = bytes([0x81, 0x80 | 127]) + length.to_bytes(8, "big")
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def wait_closed(self, seconds):
        """True if the server closed the stream within `seconds`."""
        return self.closed.wait(seconds)

    def of_type(self, kind):
        with self.lock:
            return [m for m in self.messages if m.get("type") == kind]

    def close(self):
        # Shut the connection down first: that wakes the reader thread (EOF), which
        # ends before the socket is closed. Closing under a reader blocked in recv
        # freed the descriptor number for the next connection the test opened, and
        # the reader (its TLS layer knows the number, not the socket) went on reading
        # that connection's bytes: its handshake then failed with "wrong version
        # number" or "bad record mac".
        try:
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(timeout=5)
        try:
            self.sock.close()
        except OSError:
            pass
