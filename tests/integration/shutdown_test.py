"""SIGTERM under load loses nothing: every user the API answered 201 for is in the
database together with its audit row (written by the async writer), requests that
were already received are answered, and the process exits 0."""
import signal
import sqlite3
import threading
import time
import unittest

from harness import Server

WORKERS = 6
MAX_SECONDS = 20


class ShutdownTest(unittest.TestCase):
    def test_sigterm_mid_load_keeps_every_accepted_write(self):
        server = Server()
        token = server.login()
        accepted, failures, lock = [], [], threading.Lock()
        stop_at = time.time() + MAX_SECONDS

        def worker(n):
            i = 0
            while time.time() < stop_at:
                name = f"load{n}x{i}"
                i += 1
                try:
                    status, body, _ = server.call("POST", "/api/v1/users",
                                                  {"username": name, "password": "password-1", "role": "qa"},
                                                  token)
                except OSError:
                    return  # the server stopped accepting: expected after SIGTERM
                with lock:
                    if status == 201:
                        accepted.append(name)
                    else:
                        failures.append((status, body))
                        return

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
        for t in threads:
            t.start()
        while len(accepted) < 40 and time.time() < stop_at:
            time.sleep(0.01)
        server.process.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(timeout=MAX_SECONDS + 10)
        exit_code = server.process.wait(timeout=30)

        self.assertEqual(exit_code, 0, server.stderr())
        self.assertIn("unicc stopped cleanly", server.stderr())
        self.assertGreaterEqual(len(accepted), 40)
        self.assertEqual([f for f in failures if f[0] != 503], [], "requests failed before shutdown")

        db = sqlite3.connect(server.db_path)
        users = {r[0] for r in db.execute("SELECT username FROM users")}
        audited = {r[0] for r in db.execute(
            "SELECT json_extract(detail, '$.username') FROM audit_log WHERE action = 'user.create'")}
        missing_users = [n for n in accepted if n not in users]
        missing_audit = [n for n in accepted if n not in audited]
        self.assertEqual(missing_users, [])
        self.assertEqual(missing_audit, [], f"{len(missing_audit)} of {len(accepted)} audit rows lost")


if __name__ == "__main__":
    unittest.main()
