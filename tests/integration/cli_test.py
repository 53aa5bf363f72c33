"""The unicc command line: --version, check-config, migrate, serve argument errors."""
import os
import sqlite3
import subprocess
import tempfile
import unittest

from harness import SOURCE_DIR, UNICC


def run(*args):
    return subprocess.run([UNICC, *args], capture_output=True, text=True, timeout=60)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="unicc-cli-")

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_version(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.strip(), r"^unicc \d+\.\d+\.\d+$")

    def test_check_config_accepts_the_example(self):
        result = run("check-config", os.path.join(SOURCE_DIR, "etc/unicc.toml"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("OK", result.stdout)

    def test_check_config_names_file_line_and_key_for_every_problem(self):
        path = self.write("bad.toml", '[http]\nport = 80\nprot = 1\n[database]\nurl = "oracle://x"\n[log]\nlevel = 3\n')
        result = run("check-config", path)
        self.assertEqual(result.returncode, 1)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(lines[0], f"{path}:3: http.prot: unknown key")
        self.assertTrue(lines[1].startswith(f"{path}:5: database.url: must start with"), lines[1])
        self.assertEqual(lines[2], f"{path}:7: log.level: expected a string")

    def test_check_config_reports_syntax_errors_with_the_line(self):
        path = self.write("syntax.toml", '[http]\n\nport = "unterminated\n')
        result = run("check-config", path)
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.startswith(f"{path}:3: "), result.stderr)

    def test_migrate_creates_the_schema(self):
        db = os.path.join(self.dir, "m.db")
        path = self.write("m.toml", f'[database]\nurl = "sqlite:{db}"\n')
        first = run("migrate", "--config", path)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("migration(s) applied now", first.stdout)
        second = run("migrate", "--config", path)
        self.assertIn("(0 migration(s) applied now)", second.stdout)
        tables = {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")}
        self.assertTrue({"users", "sessions", "audit_log", "schema_migrations"} <= tables, tables)

    def test_migrate_reports_an_unreachable_database(self):
        path = self.write("pg.toml", '[database]\nurl = "postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2"\n')
        result = run("migrate", "--config", path)
        self.assertEqual(result.returncode, 1)
        self.assertIn("postgresql://u:***@127.0.0.1:1/x", result.stderr)

    def test_serve_needs_a_config_or_demo(self):
        result = run("serve")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--config", result.stderr)

    def test_serve_with_a_bad_config_fails_before_starting(self):
        path = self.write("bad.toml", "[http]\nport = 99999\n")
        result = run("serve", "--config", path)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{path}:2: http.port: must be between 0 and 65535", result.stderr)


if __name__ == "__main__":
    unittest.main()
