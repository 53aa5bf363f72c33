"""Numbers pointed at run time (REST /api/v1/numbers) on real calls from the carrier
trunk: a number pointed at a queue puts the caller straight into it (waiting on the
wallboard, hearing the queue's music: a prompt uploaded to the library), re-pointed
at a flow the next call runs that flow, deleted the next call is refused (404), from
the trunk and from a phone alike."""
import os
import time

from ivr_support import IvrServerTest, RtpListener, alaw_to_linear, tone_amplitude, write_tone_wav
from sip_test import Sipp, free_udp_port

NUMBER = "5070"  # outside the test server's [[did]] 4000-4099
# A flow without numbers of its own: plays the shipped 440 Hz tune, then hangs up.
TUNE_FLOW = {"name": "ivr-numbered", "start": "tune",
             "nodes": {"tune": {"type": "play", "prompt": {"file": "hold.wav"}, "next": "bye"},
                       "bye": {"type": "hangup"}}}


class NumbersTest(IvrServerTest):

    @classmethod
    def setUpClass(cls):
        cls.start_server("")
        cls.publish(TUNE_FLOW)
        # The queue's music: a 660 Hz tune uploaded to the prompt library.
        music = os.path.join(cls.work, "upload.wav")
        write_tone_wav(music, 660, 3.0)
        with open(music, "rb") as f:
            status, body, _ = cls.server.call("PUT", "/api/v1/prompts/waiting-tune", f.read(), token=cls.admin)
        assert status in (200, 201), body
        for path, body in [("/api/v1/queues/numbered", {"groups": ["numbered"], "music": "waiting-tune.wav"}),
                           ("/api/v1/agents/1009", {"name": "Away", "groups": ["numbered"]})]:
            status, reply, _ = cls.server.call("PUT", path, body, token=cls.admin)
            assert status in (200, 201), (path, reply)

    def waiting(self):
        status, body, _ = self.server.call("GET", "/api/v1/wallboard", token=self.admin)
        self.assertEqual(status, 200, body)
        return [q["waiting"] for q in body["queues"] if q["name"] == "numbered"][0]

    def test_a_number_reaches_its_queue_then_its_flow_then_nothing(self):
        self.agent_state("1009", "not_ready")  # logged in, not ready: callers wait
        try:
            status, body, _ = self.server.call("PUT", f"/api/v1/numbers/{NUMBER}",
                                               {"target": "queue:numbered", "description": "Sales line"},
                                               token=self.admin)
            self.assertEqual(status, 201, body)
            status, body, _ = self.server.call("GET", "/api/v1/numbers", token=self.admin)
            self.assertIn({"number": NUMBER, "target": "queue:numbered", "source": "database",
                           "description": "Sales line"},
                          [{k: item[k] for k in ("number", "target", "source", "description")}
                           for item in body["items"]])

            # Straight into the queue: the wallboard counts the caller, who hears the
            # queue's music (the uploaded 660 Hz tune, not the shipped 440 Hz one).
            listener = RtpListener()
            caller = self.start_listening_caller("8613900002222", NUMBER, listener, 5000)
            self.wait_for(lambda: self.waiting() == 1)
            code = caller.wait()
            listener.stop()
            self.assertEqual(code, 0, caller.explain())
            self.wait_for(lambda: self.waiting() == 0)
            heard = [alaw_to_linear(b) for _, payload in listener.packets for b in payload][8000:24000]
            self.assertGreater(len(heard), 12000, "the caller heard nothing")
            self.assertGreater(tone_amplitude(heard, 660), 2000, "the caller does not hear the queue's music")
            self.assertLess(tone_amplitude(heard, 440), 300)
            cdr = self.cdr(caller.trace(), did=NUMBER)
            self.assertEqual((cdr["dialled"], cdr["direction"]), (NUMBER, "inbound"), cdr)
            self.assertEqual((cdr["ivr"]["flow"], cdr["ivr"]["exit"]), (f"number-{NUMBER}", "queued"), cdr["ivr"])
            # The reports count the visit under the number as its DID.
            now = int(time.time() * 1000)

            def reported():
                status, body, _ = self.server.call(
                    "GET", f"/api/v1/reports/dids?from={now - 3600000}&to={now + 3600000}&did={NUMBER}",
                    token=self.admin)
                self.assertEqual(status, 200, body)
                return [row for row in body["rows"] if row.get("did") == NUMBER and row["offered"] == 1]
            row = self.wait_for(reported)[0]
            self.assertEqual((row["abandoned"], row["answered"]), (1, 0), row)

            # Pointed at a flow: the next call runs it.
            status, body, _ = self.server.call("PUT", f"/api/v1/numbers/{NUMBER}", {"target": "flow:ivr-numbered"},
                                               token=self.admin)
            self.assertEqual(status, 200, body)
            listener = RtpListener()
            caller = self.start_listening_caller("8613900002222", NUMBER, listener, 1500)
            code = caller.wait()
            listener.stop()
            self.assertEqual(code, 0, caller.explain())
            heard = [alaw_to_linear(b) for _, payload in listener.packets for b in payload][1600:8000]
            self.assertGreater(tone_amplitude(heard, 440), 2000, "the caller does not hear the flow's tune")
            cdr = self.cdr(caller.trace(), did=NUMBER)
            self.assertEqual(cdr["ivr"]["flow"], "ivr-numbered", cdr["ivr"])
            self.assertEqual(self.waiting(), 0)

            # Deleted: nobody answers it, from the trunk or from a phone.
            status, body, _ = self.server.call("DELETE", f"/api/v1/numbers/{NUMBER}", token=self.admin)
            self.assertEqual(status, 204, body)
            refused = Sipp(self.sip_port, "trunk_caller_refused.xml", "-s", "8613900002222", "-set", "dial", NUMBER,
                           "-mp", str(free_udp_port()), port=self.trunk_port)
            self.assertEqual(refused.wait(), 0, refused.explain())
            self.assertIn("SIP/2.0 404", refused.trace())
            phone = Sipp(self.sip_port, "uac_fail.xml", "-s", "1001", "-au", "1001", "-ap", "demo1001",
                         "-set", "dial", NUMBER, "-mp", str(free_udp_port()))
            self.assertEqual(phone.wait(), 0, phone.explain())
            self.assertIn("SIP/2.0 404", phone.trace())
        finally:
            self.agent_state("1009", "logged_out")
            self.server.call("DELETE", f"/api/v1/numbers/{NUMBER}", token=self.admin)

    def test_a_number_pointed_at_an_extension_rings_it(self):
        status, body, _ = self.server.call("PUT", "/api/v1/numbers/5071", {"target": "extension:1002"},
                                           token=self.admin)
        self.assertEqual(status, 201, body)
        try:
            callee = self.phone("1002", "uas_answer.xml")
            time.sleep(0.3)
            carrier = Sipp(self.sip_port, "trunk_call.xml", "-s", "8610012345", "-set", "dial", "5071",
                           "-mp", str(free_udp_port()), port=self.trunk_port)
            self.assertEqual(carrier.wait(), 0, carrier.explain())
            self.assertEqual(callee.wait(), 0, callee.explain())
            cdr = self.cdr(carrier.trace(), did="5071")
            self.assertEqual((cdr["dialled"], cdr["callee"], cdr["disposition"]), ("5071", "1002", "answered"), cdr)
        finally:
            self.server.call("DELETE", "/api/v1/numbers/5071", token=self.admin)
