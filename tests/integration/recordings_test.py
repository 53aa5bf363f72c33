"""The recording retention in the running server: with media.recording_retention_days
= 30, the first pass after a start deletes the file of a call that ended 40 days ago
and says so on its CDR (recording "deleted", 410 on the recording), while a call of
yesterday and a 40-day-old call kept as a typical case keep theirs; a server with a
retention stops promptly on SIGTERM."""
import os
import sqlite3
import time
import unittest

from harness import Server

DAY_MS = 24 * 3600 * 1000
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "


class RecordingRetentionTest(unittest.TestCase):
    def test_the_first_pass_deletes_old_recordings_and_keeps_cases(self):
        server = Server()
        recordings = os.path.join(server.dir, "recordings")
        os.makedirs(recordings)
        server.stop()  # it made the database; the rows go in while it is down

        now = int(time.time() * 1000)
        db = sqlite3.connect(server.db_path)
        ids = {}
        for name, ended in (("old", now - 40 * DAY_MS), ("kept", now - 40 * DAY_MS), ("recent", now - DAY_MS)):
            path = os.path.join(recordings, name + ".wav")
            with open(path, "wb") as f:
                f.write(WAV)
            cursor = db.execute(
                "INSERT INTO cdrs (call_id, direction, caller, caller_name, dialled, callee, trunk, started_at,"
                " answered_at, ended_at, disposition, hangup_cause, hangup_side, recording_path)"
                " VALUES (?, 'internal', '1001', '', '1002', '1002', '', ?, ?, ?, 'answered', 'BYE', 'caller', ?)",
                (name, ended - 60000, ended - 50000, ended, path))
            ids[name] = cursor.lastrowid
        db.execute("INSERT INTO typical_cases (cdr_id, kind, title, created_by, created_at, updated_at)"
                   " VALUES (?, 'good', 'Kept', 'admin', ?, ?)", (ids["kept"], now, now))
        db.commit()
        db.close()

        with open(server.config_path, "a") as f:
            f.write(f'[media]\nrecordings_dir = "{recordings}"\nrecording_retention_days = 30\n')
        server.start()
        admin = server.login()

        def cdr(name):
            status, body, _ = server.call("GET", "/api/v1/cdrs?number=1002&limit=10", token=admin)
            self.assertEqual(status, 200, body)
            return next(item for item in body["items"] if item["call_id"] == name)

        deadline = time.time() + 10
        while cdr("old")["recording"] != "deleted" and time.time() < deadline:
            time.sleep(0.1)
        old = cdr("old")
        self.assertEqual(old["recording"], "deleted")
        self.assertGreaterEqual(old["recording_deleted_at"], now)
        self.assertFalse(os.path.exists(os.path.join(recordings, "old.wav")))
        status, body, _ = server.call("GET", f"/api/v1/cdrs/{ids['old']}/recording", token=admin)
        self.assertEqual((status, body["error"]["code"]), (410, "recording_deleted"))

        for name in ("kept", "recent"):
            self.assertEqual(cdr(name)["recording"], "available", name)
            self.assertTrue(os.path.exists(os.path.join(recordings, name + ".wav")), name)
        status, _, _ = server.call("GET", f"/api/v1/cdrs/{ids['kept']}/recording", token=admin)
        self.assertEqual(status, 200)
        self.assertIn("recording retention: recordings are deleted 30 days after their call", server.stderr())

        started = time.time()
        self.assertEqual(server.stop(), 0, server.stderr())
        self.assertLess(time.time() - started, 5)


if __name__ == "__main__":
    unittest.main()
