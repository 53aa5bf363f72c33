"""Customers against the running server: an agent creates, reads, changes and finds
them by every spelling of a phone; the errors (400 naming the field, 409 for a phone
another customer has, 403 for a qa write); and a call from a trunk, refused because
its extension is not registered, shows in the customer's contacts and in the CDRs."""
import socket
import time
import unittest
import urllib.parse

from harness import Server, free_port


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused_trunk_call(sip_port, trunk_port, caller, dial):
    """Sends an INVITE from the trunk's address for `dial`, ACKs the final response
    and returns (its status, the Call-ID)."""
    call_id = f"crm-{time.time_ns()}@127.0.0.1"
    branch = f"z9hG4bK{time.time_ns()}"
    sdp = ("v=0\r\no=carrier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    head = (f"sip:{dial}@127.0.0.1:{sip_port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{trunk_port};branch={branch};rport\r\n"
            f"From: <sip:{caller}@127.0.0.1>;tag=crm1\r\nCall-ID: {call_id}\r\nMax-Forwards: 70\r\n")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", trunk_port))
        sock.settimeout(10)
        sock.sendto((f"INVITE {head}To: <sip:{dial}@127.0.0.1>\r\nCSeq: 1 INVITE\r\n"
                     f"Contact: <sip:{caller}@127.0.0.1:{trunk_port}>\r\nContent-Type: application/sdp\r\n"
                     f"Content-Length: {len(sdp)}\r\n\r\n{sdp}").encode(), ("127.0.0.1", sip_port))
        while True:
            response = sock.recv(65535).decode(errors="replace")
            status = int(response.split(" ", 2)[1])
            if status >= 200:
                break
        to = next(line for line in response.split("\r\n") if line.lower().startswith("to:"))
        sock.sendto(f"ACK {head}{to}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n".encode(), ("127.0.0.1", sip_port))
    return status, call_id


class CustomersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sip_port = free_port()
        cls.trunk_port = free_udp_port()
        cls.server = Server(extra_config=(
            f'[sip]\nport = {cls.sip_port}\n'
            f'[[trunk]]\nname = "carrier"\naddress = "127.0.0.1"\nport = {cls.trunk_port}\n'
            f'[[did]]\nnumbers = "5050"\ntarget = "1003"\n'))
        cls.admin = cls.server.login()
        cls.agent = cls.server.login("agent1001", "unicc-demo")
        status, body, _ = cls.server.call("POST", "/api/v1/users", {"username": "quinn", "password": "tea-at-five-42",
                                                                     "role": "qa"}, token=cls.admin)
        assert status == 201, body
        cls.qa = cls.server.login("quinn", "tea-at-five-42")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def call(self, method, path, body=None, token=None):
        return self.server.call(method, path, body, token or self.agent)[:2]

    def create(self, customer):
        status, body = self.call("POST", "/api/v1/customers", customer)
        self.assertEqual(status, 201, body)
        return body

    def test_create_read_patch_and_find_by_every_spelling(self):
        created = self.create({"name": "张三", "phones": ["+86 138 0000 0000"], "email": "zhang@example.com",
                               "tags": ["gold"], "birthday": "1990-12-06", "fields": {"plan": "gold"}})
        self.assertEqual({k: v for k, v in created.items() if k not in ("id", "created_at", "updated_at")},
                         {"name": "张三", "phones": ["+86 138 0000 0000"], "email": "zhang@example.com",
                          "vip": False, "tags": ["gold"], "birthday": "1990-12-06", "address": "", "notes": "",
                          "fields": {"plan": "gold"}})
        path = f"/api/v1/customers/{created['id']}"
        self.assertEqual(self.call("GET", path, token=self.qa), (200, created))

        status, patched = self.call("PATCH", path, {"vip": True, "notes": "prefers mornings",
                                                    "phones": ["+86 138 0000 0000", "010-8888 6666"]})
        self.assertEqual(status, 200, patched)
        self.assertEqual((patched["vip"], patched["notes"], patched["name"]), (True, "prefers mornings", "张三"))
        self.assertEqual(self.call("GET", path), (200, patched))

        for phone in ("+86 138 0000 0000", "008613800000000", "8613800000000", "013800000000", "13800000000",
                      "01088886666", "+861088886666"):
            status, body = self.call("GET", "/api/v1/customers?phone=" + urllib.parse.quote(phone))
            self.assertEqual((status, body["total"], [c["id"] for c in body["items"]]), (200, 1, [created["id"]]),
                             phone)
        self.assertEqual(self.call("GET", "/api/v1/customers?phone=13900000009"),
                         (200, {"items": [], "total": 0}))
        status, body = self.call("GET", "/api/v1/customers?q=" + urllib.parse.quote("张"), token=self.qa)
        self.assertEqual((status, [c["id"] for c in body["items"]]), (200, [created["id"]]))
        status, body = self.call("GET", "/api/v1/customers?q=example.com&limit=10&offset=0")
        self.assertEqual((status, body["total"]), (200, 1))

        status, body = self.call("GET", "/api/v1/audit?action=customer.update", token=self.admin)
        self.assertEqual((status, body["items"][0]["actor"], body["items"][0]["target"]),
                         (200, "agent1001", f"customer:{created['id']}"))

    def test_errors(self):
        self.create({"name": "Li Si", "phones": ["13900000001"]})
        status, body = self.call("POST", "/api/v1/customers", {"name": "Wang", "phones": ["+86 139-0000-0001"]})
        self.assertEqual((status, body["error"]["code"]), (409, "phone_taken"), body)
        self.assertIn("+86 139-0000-0001", body["error"]["message"])
        for field, customer in (("name", {"name": "x" * 201}), ("phones", {"name": "x", "phones": ["call me"]}),
                                ("email", {"name": "x", "email": "nobody"}),
                                ("birthday", {"name": "x", "birthday": "1990-02-30"}),
                                ("tags", {"name": "x", "tags": ["t" * 65]}),
                                ("fields", {"name": "x", "fields": {"plan": 3}})):
            status, body = self.call("POST", "/api/v1/customers", customer)
            self.assertEqual((status, body["error"]["code"]), (400, "invalid_field"), body)
            self.assertIn(f"'{field}'", body["error"]["message"])
        status, body = self.call("POST", "/api/v1/customers", {"name": "x"}, token=self.qa)
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"))
        self.assertEqual(self.call("GET", "/api/v1/customers/999999")[0], 404)

    def test_a_call_from_the_customer_is_among_its_contacts(self):
        customer = self.create({"name": "Caller", "phones": ["0138 1111 2222"]})
        contacts = f"/api/v1/customers/{customer['id']}/contacts"
        self.assertEqual(self.call("GET", contacts), (200, {"items": []}))

        status, call_id = refused_trunk_call(self.sip_port, self.trunk_port, "+8613811112222", "5050")
        self.assertEqual(status, 480)  # extension 1003 has no registered phone
        status, body = self.call("GET", contacts + "?limit=5", token=self.qa)
        self.assertEqual(status, 200, body)
        self.assertEqual(len(body["items"]), 1, body)
        contact = body["items"][0]
        self.assertEqual({k: contact[k] for k in ("call_id", "channel", "direction", "caller", "disposition",
                                                    "duration_ms", "recording", "agent", "queue",
                                                    "disposition_code", "notes")},
                         {"call_id": call_id, "channel": "voice", "direction": "inbound", "caller": "+8613811112222",
                          "disposition": "unavailable", "duration_ms": 0, "recording": None, "agent": "",
                          "queue": "", "disposition_code": "", "notes": ""})
        self.assertGreater(contact["at"], 0)

        status, body = self.call("GET", "/api/v1/cdrs?number=%2B8613811112222", token=self.admin)
        self.assertEqual(status, 200, body)
        cdr = body["items"][0]
        self.assertEqual((cdr["call_id"], cdr["agent"], cdr["queue"], cdr["customer_id"], cdr["events"]),
                         (call_id, "", "", None, []))
        # A call never answered has no recording; an agent may not ask about another's call.
        status, body = self.call("GET", f"/api/v1/cdrs/{cdr['id']}/recording", token=self.qa)
        self.assertEqual((status, body["error"]["code"]), (404, "not_found"), body)
        status, body = self.call("GET", f"/api/v1/cdrs/{cdr['id']}/recording")
        self.assertEqual((status, body["error"]["code"]), (403, "forbidden"), body)


if __name__ == "__main__":
    unittest.main()
