"""Settings changed in the console while unicc runs (PUT /api/v1/settings/{name}) reach
the calls at once and outlive a restart: recording switched off and on, a shorter ring
time, the log level (a debug line appears only once it is on)."""
import os
import socket
import tempfile
import time
import unittest

from harness import Server, free_port
from sip_test import PhoneHelpers, Sipp, assert_recorded_both_sides, free_udp_port


class RunTimeSettingsTest(PhoneHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.recordings = tempfile.mkdtemp(prefix="unicc-rec-")
        rtp_base = 20000 + (os.getpid() % 200) * 100
        cls.server = Server(extra_config=(
            f'[log]\nlevel = "info"\n'
            f'[sip]\nport = {cls.sip_port}\nring_timeout_s = 60\n'
            f'[media]\nrtp_port_min = {rtp_base}\nrtp_port_max = {rtp_base + 99}\nrtp_timeout_s = 30\n'
            f'recordings_dir = "{cls.recordings}"\n'))
        cls.admin = cls.server.login()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setting(self, name, value=None, reset=False):
        if reset:
            status, body, _ = self.server.call("DELETE", f"/api/v1/settings/{name}", token=self.admin)
        else:
            status, body, _ = self.server.call("PUT", f"/api/v1/settings/{name}", {"value": value}, token=self.admin)
        self.assertEqual(status, 200, body)
        return body

    def answered_call(self):
        callee = self.phone("1002", "uas_answer.xml", "-rtp_echo")
        caller = self.sipp("uac_call.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001", "-set", "dial", "1002",
                           "-mp", str(free_udp_port()))
        self.assertEqual(caller.wait(), 0, caller.explain())
        self.assertEqual(callee.wait(), 0, callee.explain())
        cdr = self.cdr(caller.trace())
        self.assertEqual(cdr["disposition"], "answered", cdr)
        return cdr

    def test_recording_switched_off_stays_off_after_a_restart_until_it_is_reset(self):
        body = self.setting("media.record_calls", False)
        self.assertEqual((body["value"], body["file_value"], body["changed"]), (False, True, True), body)
        cdr = self.answered_call()
        self.assertEqual((cdr["recording"], cdr["recording_path"]), ("none", ""), cdr)

        self.server.restart()
        self.admin = self.server.login()
        status, body, _ = self.server.call("GET", "/api/v1/settings", token=self.admin)
        self.assertEqual(status, 200, body)
        shown = {item["name"]: item for item in body["items"]}["media.record_calls"]
        self.assertEqual((shown["value"], shown["changed"], shown["changed_by"]), (False, True, "admin"), shown)
        self.assertEqual(self.answered_call()["recording"], "none")

        body = self.setting("media.record_calls", reset=True)
        self.assertEqual((body["value"], body["changed"]), (True, False), body)
        assert_recorded_both_sides(self, self.answered_call())

    def test_a_shorter_ring_time_ends_an_unanswered_call_sooner(self):
        self.setting("sip.ring_timeout_s", 2)
        try:
            callee = self.phone("1002", "uas_ring.xml")
            caller = self.sipp("uac_fail.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001", "-set", "dial",
                               "1002", "-mp", str(free_udp_port()))
            started = time.time()
            # At the file's 60 s the caller would still be waiting when SIPp gives up.
            self.assertEqual(caller.wait(timeout=20), 0, caller.explain())
            self.assertLess(time.time() - started, 20)
            self.assertEqual(callee.wait(), 0, callee.explain())
            self.assertIn("SIP/2.0 480", caller.trace())
            self.assertIn("CANCEL sip:", callee.trace())
        finally:
            self.setting("sip.ring_timeout_s", reset=True)

    def test_the_log_level_changes_at_once(self):
        def malformed_datagram():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.sendto(b"NOT SIP AT ALL\r\n\r\n", ("127.0.0.1", self.sip_port))
            time.sleep(0.5)

        malformed_datagram()
        self.assertNotIn(": malformed", self.server.stderr())
        self.setting("log.level", "debug")
        try:
            deadline = time.time() + 5
            while time.time() < deadline and ": malformed" not in self.server.stderr():
                malformed_datagram()
            self.assertIn(": malformed", self.server.stderr())
        finally:
            self.setting("log.level", reset=True)
        status, body, _ = self.server.call("PUT", "/api/v1/settings/log.level", {"value": "chatty"}, token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
        self.assertIn("log.level: must be one of", body["error"]["message"])


if __name__ == "__main__":
    unittest.main()
