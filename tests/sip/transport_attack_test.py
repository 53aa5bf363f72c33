"""Attacks on unicc's SIP transport, each against a running `unicc serve --demo`
with default connection bounds: a message trickled one byte per second over TCP
(slowloris), and 1,000 idle TCP connections from one address. Each test asserts
that the attack is cut off and that legitimate traffic (SIPp registrations and a
call, SIP OPTIONS over UDP, the HTTP health endpoint) goes on meanwhile."""
import re
import resource
import select
import socket
import threading
import time
import unittest
import urllib.request

from harness import Server, free_port
from sip_test import PhoneHelpers, free_udp_port

MESSAGE_TIMEOUT_S = 30  # sip.tcp_message_timeout_s's default
PER_ADDRESS_LIMIT = 32  # sip.tcp_max_connections_per_address's default


def options(port, call_id, transport="UDP"):
    return (f"OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} 127.0.0.1:{port};branch=z9hG4bK{call_id};rport\r\n"
            f"From: <sip:probe@127.0.0.1>;tag={call_id}\r\nTo: <sip:1001@127.0.0.1>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode()


def closed_by_peer(sock):
    """True when the server has closed or reset `sock`; never waits (a socket with a
    timeout would turn MSG_DONTWAIT into a wait)."""
    poller = select.poll()  # select() cannot take descriptors above 1023
    poller.register(sock, select.POLLIN)
    for _ in range(64):
        if not poller.poll(0):
            return False
        try:
            if not sock.recv(4096):
                return True
        except OSError:
            return True
    return False


class TransportAttackTest(PhoneHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.server = Server(extra_config=f"[sip]\nport = {cls.sip_port}\nring_timeout_s = 5\n")
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def udp_options_round_trip(self, call_id):
        """Seconds until unicc answers an OPTIONS over UDP (fails after 2 s)."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.settimeout(2)
            started = time.monotonic()
            sock.sendto(options(sock.getsockname()[1], call_id), ("127.0.0.1", self.sip_port))
            reply = sock.recv(65535).decode(errors="replace")
            elapsed = time.monotonic() - started
        self.assertTrue(reply.startswith("SIP/2.0 200"), reply)
        self.assertIn(f"Call-ID: {call_id}", reply)
        return elapsed

    def health_time(self):
        started = time.monotonic()
        with urllib.request.urlopen(self.server.base + "/api/v1/health", timeout=5) as response:
            self.assertEqual(response.status, 200)
        return time.monotonic() - started

    def metric(self, name, labels):
        with urllib.request.urlopen(self.server.base + "/metrics", timeout=5) as response:
            text = response.read().decode()
        match = re.search(rf"^{re.escape(name)}\{{{re.escape(labels)}\}} (\d+)", text, re.M)
        return int(match.group(1)) if match else 0

    def test_one_byte_per_second_is_cut_off_and_calls_go_on(self):
        sock = socket.create_connection(("127.0.0.1", self.sip_port), timeout=5)
        text = options(sock.getsockname()[1], "slowloris", "TCP")
        timed_out_before = self.metric("unicc_sip_connections_timed_out_total", 'reason="message"')
        closed_at = []
        stop = threading.Event()

        def trickle():
            started = time.monotonic()
            for i in range(len(text)):  # 200+ bytes: never completes within the bound
                if stop.is_set():
                    return
                try:
                    sock.send(text[i:i + 1])
                except OSError:
                    pass
                deadline = time.monotonic() + 1
                while time.monotonic() < deadline:
                    if closed_by_peer(sock):
                        closed_at.append(time.monotonic() - started)
                        return
                    time.sleep(0.05)

        attacker = threading.Thread(target=trickle, daemon=True)
        attacker.start()
        try:
            # Meanwhile phones register over UDP and TCP, and call each other.
            time.sleep(2)
            self.register("1003", transport="t1", port=free_port())
            callee = self.phone("1002", "uas_answer.xml")
            caller = self.sipp("uac_call.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001", "-set", "dial", "1002",
                               "-mp", str(free_udp_port()))
            self.assertEqual(caller.wait(), 0, caller.explain())
            self.assertEqual(callee.wait(), 0, callee.explain())
            self.assertEqual(self.cdr(caller.trace())["disposition"], "answered")
            self.assertTrue(attacker.is_alive(), "the trickling connection was cut before its bound")
            attacker.join(timeout=MESSAGE_TIMEOUT_S + 10)
        finally:
            stop.set()
            attacker.join(timeout=5)
            sock.close()
        self.assertEqual(len(closed_at), 1, "the trickling connection was still open after its bound")
        self.assertGreaterEqual(closed_at[0], MESSAGE_TIMEOUT_S - 3)
        self.assertLessEqual(closed_at[0], MESSAGE_TIMEOUT_S + 2)
        self.assertEqual(self.metric("unicc_sip_connections_timed_out_total", 'reason="message"'),
                         timed_out_before + 1)

    def test_a_thousand_idle_connections_are_refused_and_service_stays_fast(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < 1200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        refused_before = self.metric("unicc_sip_connections_refused_total", 'reason="per_address"')
        sockets = []
        try:
            for _ in range(1000):
                s = socket.socket()
                s.settimeout(5)
                try:
                    s.connect(("127.0.0.1", self.sip_port))
                except OSError:
                    s.close()  # refused before the handshake finished: counts as refused
                    continue
                sockets.append(s)
            # While they are held: SIP over UDP and HTTP answer at once.
            udp_times = [self.udp_options_round_trip(f"probe-{i}") for i in range(5)]
            health_times = [self.health_time() for _ in range(5)]
            self.register("1004")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                open_count = sum(1 for s in sockets if not closed_by_peer(s))
                if open_count <= PER_ADDRESS_LIMIT:
                    break
                time.sleep(0.2)
            self.assertEqual(open_count, PER_ADDRESS_LIMIT)
            self.assertLess(max(udp_times), 0.5, udp_times)
            self.assertLess(max(health_times), 0.5, health_times)
            self.assertGreaterEqual(self.metric("unicc_sip_connections_refused_total", 'reason="per_address"'),
                                    refused_before + 1000 - PER_ADDRESS_LIMIT - 10)
        finally:
            for s in sockets:
                s.close()
        # The slots are free again once the attacker lets go.
        time.sleep(1)
        self.register("1005", transport="t1", port=free_port())

if __name__ == "__main__":
    unittest.main()
