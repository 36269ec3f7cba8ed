"""The input sent before the lifecycle's later steps, and the dlq.* and
valid.* cases.

send_initial produces, in one fixed order, the lifecycle lead's capture, the
bad records (each expected to get exactly one dead letter, by the topic's
owner) and the valid records that must not be lost (a keyless capture with
envelope.lead_id, a duplicate capture, two sources sharing one ce_id). A
mixin of Session (session.py).
"""
import json
import uuid

from contract import OWNER, TOPICS, CheckFailed, check, log


class BadInputCases:
    """The initial input, dlq.* and valid.*: a mixin of Session."""

    # --- input: everything before the lifecycle's later steps ---------------
    def send_initial(self):
        t, pb = self.s.tag, self.pb
        self.send_proto("lifecycle capture (nurture)", "captured",
                        self.capture(self.life, "life"), self.life)

        # decode: garbage bytes on the captured topic.
        ce = str(uuid.uuid4())
        key = f"{t}-garbage"
        p, o = self.send("garbage", "captured", b"\xff\xfe\x00garbage, not a protobuf\xff", key,
                         self.headers(ce, "baton.v1.LeadCaptured"), valid=False)
        self.bad["dlq.decode"] = dict(ce_id=ce, reason="decode", topic="captured", partition=p,
                                      offset=o, **self.as_sent())

        # A keyless capture with the lead id in its envelope: processed.
        self.nokey = f"{t}-nokey"
        self.send_proto("keyless capture with envelope.lead_id", "captured",
                        self.capture(self.nokey, "nokey", demo=True), None)

        # unexpected_type: a valid SalesActivity on the captured topic.
        a = pb.activity.SalesActivity()
        self.envelope(a.envelope, f"{t}-wrongtype", "crm")
        a.rep_id, a.type = "rep-kai", pb.activity.ACTIVITY_CALL
        p, o = self.send("SalesActivity on the captured topic", "captured", a.SerializeToString(),
                         f"{t}-wrongtype",
                         self.headers(a.envelope.event_id, "baton.v1.SalesActivity",
                                      "conformance/crm"),
                         valid=False)
        self.bad["dlq.unexpected_type"] = dict(ce_id=a.envelope.event_id, reason="unexpected_type",
                                               topic="captured", partition=p, offset=o,
                                               **self.as_sent())

        # A duplicate: the same record (ce_source, ce_id, payload) twice.
        self.dup = f"{t}-dup"
        dup = self.capture(self.dup, "dup", demo=True)
        self.send_proto("duplicate capture (1st)", "captured", dup, self.dup)

        # missing_key: no record key and no envelope.lead_id.
        m = self.capture("", "nolead", demo=True)
        p, o = self.send("keyless capture without envelope.lead_id", "captured",
                         m.SerializeToString(), None,
                         self.headers(m.envelope.event_id, "baton.v1.LeadCaptured"), valid=False)
        self.bad["dlq.missing_key"] = dict(ce_id=m.envelope.event_id, reason="missing_key",
                                           topic="captured", partition=p, offset=o,
                                           **self.as_sent())

        self.send_proto("duplicate capture (2nd, same bytes)", "captured", dup, self.dup)

        # Two leads of two sources with one ce_id (and one envelope.event_id).
        shared = str(uuid.uuid4())
        self.src_a, self.src_b = f"{t}-srca", f"{t}-srcb"
        self.send_proto("capture of source A", "captured",
                        self.capture(self.src_a, "srca", demo=True, region="north_america",
                                     source_system="web-form", event_id=shared),
                        self.src_a, source="conformance/web-form")

        # schema: JSON with an unknown field on the activities topic (read by
        # the sla-monitor, which owns it, and by feedback).
        ce = str(uuid.uuid4())
        body = json.dumps({"envelope": {"eventId": ce, "leadId": f"{t}-schema1",
                                        "sourceSystem": "crm"},
                           "repId": "rep-kai", "type": "ACTIVITY_CALL",
                           "conformanceUnknownField": True}).encode()
        p, o = self.send("JSON activity with an unknown field", "activities", body,
                         f"{t}-schema1",
                         self.headers(ce, "baton.v1.SalesActivity", "conformance/crm",
                                      "application/json"), valid=False)
        self.bad["dlq.schema_unknown_field"] = dict(ce_id=ce, reason="schema", topic="activities",
                                                    partition=p, offset=o, **self.as_sent())

        self.send_proto("capture of source B (same ce_id)", "captured",
                        self.capture(self.src_b, "srcb", demo=True, region="north_america",
                                     source_system="hubspot", event_id=shared),
                        self.src_b, source="conformance/hubspot")

        # schema: JSON with a wrong type (a string for a double) on the signals topic.
        ce = str(uuid.uuid4())
        body = json.dumps({"envelope": {"eventId": ce, "leadId": f"{t}-schema2",
                                        "sourceSystem": "web"},
                           "type": "SIGNAL_PAGE_VIEW", "weightOverride": "lots"}).encode()
        p, o = self.send("JSON signal with a wrong type", "signals", body, f"{t}-schema2",
                         self.headers(ce, "baton.v1.EngagementSignal", "conformance/web",
                                      "application/json"), valid=False)
        self.bad["dlq.schema_wrong_type"] = dict(ce_id=ce, reason="schema", topic="signals",
                                                 partition=p, offset=o, **self.as_sent())

    def as_sent(self):
        """Key and value of the record just sent: its dead letter must carry them."""
        return {"key": self.sent[-1]["key"], "value": self.sent[-1]["value"]}

    # --- bad input, what must not be lost -----------------------------------
    def wait_first_dead_letters(self):
        def all_there():
            return all(self.dead_letters(b["ce_id"]) for b in self.bad.values())

        def missing():
            gone = [n for n, b in self.bad.items() if not self.dead_letters(b["ce_id"])]
            reasons = sorted({r.headers.get("baton.error.reason") for r in
                              self.readers["dlq"].records})
            return f"no dead letter yet for {gone}; reasons on the DLQ: {reasons}"

        try:
            self.wait("a dead letter for every bad record", all_there, detail=missing)
        except CheckFailed as e:  # each dlq.* case says what is missing
            log(str(e))

    def dlq_case(self, name):
        b = self.bad[name]
        got = self.dead_letters(b["ce_id"])
        where = (f"{b['topic']}[{b['partition']}]@{b['offset']}")
        check(got, f"no dead letter for the record at {where} (ce_id {b['ce_id']}) on "
                   f"{self.s.topic('dlq')}; expected reason {b['reason']!r}")
        summary = [(r.headers.get("baton.service"), r.headers.get("baton.error.reason"),
                    r.headers.get("baton.error.detail")) for r in got]
        check(len(got) == 1, f"{len(got)} dead letters for {where}, expected exactly 1: {summary}")
        h = got[0].headers
        check(h.get("baton.error.reason") == b["reason"],
              f"baton.error.reason {h.get('baton.error.reason')!r} "
              f"(detail {h.get('baton.error.detail')!r}), expected {b['reason']!r}")
        for k in ("baton.source.topic", "baton.source.partition", "baton.source.offset"):
            check(h.get(k), f"header {k} missing on the dead letter: {sorted(h)}")
        src = h["baton.source.topic"]
        check(src in (TOPICS[b["topic"]], self.s.topic(b["topic"])),
              f"baton.source.topic {src!r}, expected {self.s.topic(b['topic'])!r}")
        check(h["baton.source.partition"] == str(b["partition"])
              and h["baton.source.offset"] == str(b["offset"]),
              f"baton.source.partition/offset {h['baton.source.partition']}/"
              f"{h['baton.source.offset']}, the record is at {b['partition']}/{b['offset']}")
        value = got[0].value or b""
        check(value == b["value"],
              f"the dead letter's value ({len(value)} bytes: {value[:80]!r}) is not the bad "
              f"record as sent ({len(b['value'])} bytes: {b['value'][:80]!r})")
        check((got[0].key or None) == (b["key"] or None),
              f"the dead letter's key {got[0].key!r} is not the bad record's key {b['key']!r}")
        owner = OWNER[b["topic"]]
        check(h.get("baton.service") in (None, owner),
              f"dead-lettered by {h.get('baton.service')!r}; the topic's owner is {owner!r}")
        self.settled(f"one dead letter with reason {b['reason']!r}")

    def assigned(self, lead):
        return self.routing_events(lead, "assignment")

    def valid_keyless(self):
        self.wait(f"an Assignment for the keyless capture {self.nokey}",
                  lambda: self.assigned(self.nokey), detail=lambda: self.describe_lead(self.nokey))

    def valid_two_sources(self):
        for lead in (self.src_a, self.src_b):
            self.wait(f"an Assignment for {lead} (ce_id shared with another source)",
                      lambda: self.assigned(lead), detail=lambda: self.describe_lead(lead))

    def valid_duplicate_wait(self):
        self.wait(f"an Assignment for {self.dup}", lambda: self.assigned(self.dup),
                  detail=lambda: self.describe_lead(self.dup))

    def valid_duplicate_once(self):
        n = len(self.assigned(self.dup))
        check(n == 1, f"{n} assignments for {self.dup} (captured twice with the same ce_source, "
                      "ce_id and payload), expected exactly 1")
        self.settled("one assignment")

    def no_valid_dead_letters(self):
        dl = [(r.headers.get("ce_id"), r.headers.get("baton.service"),
               r.headers.get("baton.error.reason"), r.headers.get("baton.error.detail"))
              for r in self.readers["dlq"].records if r.headers.get("ce_id") in self.valid_ce_ids]
        check(not dl, f"valid records dead-lettered: {dl}")
        self.settled("no valid record dead-lettered")
