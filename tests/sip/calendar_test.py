"""Shared calendars on real calls: a flow whose schedule node names the calendar
"support" takes `open` while the calendar is open; after a REST change that makes
today a holiday the next call takes `holiday`, with no new version published. A queue
whose calendar is closed sends its call to its closed target (another queue, which
rings a SIPp phone), and the call's record says so."""
import datetime
import json
import unittest

from ivr_support import IvrServerTest, RtpListener, queue_flow

LONG = "Thank you for calling. " * 8  # outlasts the caller, who hangs up first

FLOW = {
    "name": "cal-test",
    "dids": ["4060"],
    "start": "hours",
    "nodes": {
        "hours": {"type": "schedule", "calendar": "support", "open": "open", "closed": "closed",
                  "holiday": "holiday"},
        "open": {"type": "play", "prompt": {"text": "We are open. " + LONG, "voice": "en"}, "next": "bye"},
        "closed": {"type": "play", "prompt": {"text": "We are closed. " + LONG, "voice": "en"}, "next": "bye"},
        "holiday": {"type": "play", "prompt": {"text": "Happy holidays. " + LONG, "voice": "en"}, "next": "bye"},
        "bye": {"type": "hangup"},
    },
}

ALL_DAY = [{"from": "00:00", "to": "24:00"}]
ZONE = "Asia/Shanghai"


def calendar(holidays=()):
    """Open all day every day in Shanghai, but on `holidays`."""
    return {"time_zone": ZONE, "hours": {day: ALL_DAY for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": [{"date": d, "name": "Staff day"} for d in holidays]}


class CalendarCallTest(IvrServerTest):
    @classmethod
    def setUpClass(cls):
        cls.start_server(
            '[[queue]]\nname = "support"\nring = "1003"\n'
            '[[queue]]\nname = "backup"\nring = "1004"\n')
        for name, body in (("support", calendar()), ("nights", {"time_zone": ZONE})):
            status, answer, _ = cls.server.call("PUT", f"/api/v1/calendars/{name}", body, token=cls.admin)
            assert status == 201, answer
        cls.publish(FLOW, queue_flow("cal-queue", "4061", "support"))

    def listen(self, did, milliseconds=3000):
        """A trunk caller who dials `did`, listens and hangs up: the call's CDR."""
        listener = RtpListener()
        caller = self.start_listening_caller("8613900002222", did, listener, milliseconds)
        code = caller.wait()
        listener.stop()
        self.assertEqual(code, 0, caller.explain())
        return self.cdr(caller.trace(), did)

    def test_a_schedule_naming_a_calendar_follows_its_changes_without_a_new_version(self):
        cdr = self.listen("4060")
        self.assertEqual(self.path(cdr["ivr"])[0], ("hours", "", "open"), cdr["ivr"])
        today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
        # Either side of Shanghai's midnight: both today and tomorrow are holidays.
        days = [str(today), str(today + datetime.timedelta(days=1))]
        status, body, _ = self.server.call("PUT", "/api/v1/calendars/support", calendar(days), token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"]["state"], "holiday", body)
        cdr = self.listen("4060")
        self.assertEqual(self.path(cdr["ivr"])[0], ("hours", "", "holiday"), cdr["ivr"])
        self.assertEqual(cdr["ivr"]["version"], 1, "the same published version")
        status, body, _ = self.server.call("PUT", "/api/v1/calendars/support", calendar(), token=self.admin)
        self.assertEqual(status, 200, body)

    def test_a_queue_whose_calendar_is_closed_sends_the_call_to_its_closed_target(self):
        status, body, _ = self.server.call("PATCH", "/api/v1/queues/support",
                                           {"calendar": "nights", "closed": {"queue": "backup"}}, token=self.admin)
        self.assertEqual(status, 200, body)
        self.assertEqual((body["calendar"], body["closed"]), ("nights", {"queue": "backup"}))
        status, body, _ = self.server.call("DELETE", "/api/v1/calendars/nights", token=self.admin)
        self.assertEqual((status, body["error"]["code"]), (409, "in_use"), body)
        self.assertIn("queue 'support'", body["error"]["details"])
        backup = self.phone("1004", "uas_answer.xml")
        cdr = self.listen("4061", 4000)
        self.assertEqual(backup.wait(), 0, backup.explain() + json.dumps(cdr))
        self.assertEqual((cdr["disposition"], cdr["callee"]), ("answered", "1004"), cdr)
        closed = [(e["kind"], e["mode"], e["from"], e["to"]) for e in cdr["events"] if e["kind"] == "queue_closed"]
        self.assertEqual(closed, [("queue_closed", "queue", "support", "backup")], cdr)
        status, board, _ = self.server.call("GET", "/api/v1/wallboard", token=self.admin)
        self.assertEqual(status, 200, board)
        support = next(q for q in board["queues"] if q["name"] == "support")
        self.assertEqual(support["closed"], 1, support)


if __name__ == "__main__":
    unittest.main()
