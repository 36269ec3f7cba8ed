"""The conformance session: what every case stands on.

Session holds the run's state (results, records sent, expected dead
letters), reports cases PASS or FAIL, waits with bounded polling, builds and
sends events (confluent-kafka and kcat), reads the services' output topics,
sets the stack up (topics, roster, services, readers, the lifecycle lead) and
runs the quiesce case. The cases themselves are mixins in lifecycle_cases.py
and bad_input_cases.py; conformance_test.py wires them.
"""
import datetime
import shutil
import subprocess
import time
import uuid

from contract import (QUIESCE_S, ROOT, TOPICS, UPSTREAM, WAIT_S, AdminClient, CaseRunner,
                      CheckFailed, Consumer, ConsumerGroupTopicPartitions, Reader, TopicPartition,
                      Upstream, baton_partition, check, http_get, http_json, json_format,
                      lead_of, librdkafka_default_partition, log, member, now_utc, wait_for)


class Session(CaseRunner):
    """State, reporting, waiting, sending, reading and setup of one run."""

    def __init__(self, stack, protos):
        super().__init__()         # results: (name, ok, message); failed
        self.s, self.pb = stack, protos
        self.sent = []             # every record produced: dicts (for the placement report)
        self.valid_ce_ids = set()  # ce_id of every valid record: never dead-lettered
        self.bad = {}              # case name -> expected dead letter
        self.owner = None
        self.domain = f"{stack.tag}.example.com"

    # --- reporting ----------------------------------------------------------
    def settled(self, what):
        """Counting checks ("exactly one", "none") hold only once every
        service has consumed everything (case quiesce)."""
        check("quiesce" not in self.failed,
              f"{what} so far, but the services never caught up on their inputs (case quiesce), "
              "so a late record could still change the count")

    # --- waiting ------------------------------------------------------------
    def wait(self, what, predicate, timeout=WAIT_S, detail=None):
        """Polls predicate (after refreshing the readers) until truthy."""
        def refresh():
            self.s.alive()
            self.poll_readers()
        return wait_for(what, predicate, timeout, detail, interval=0.3, before=refresh)

    def poll_readers(self):
        for r in self.readers.values():
            r.poll()

    # --- building events ----------------------------------------------------
    def envelope(self, env, lead_id, source_system, event_id=None):
        env.event_id = event_id or str(uuid.uuid4())
        env.event_time.FromDatetime(now_utc().replace(tzinfo=None))
        env.source_system = source_system
        if lead_id:
            env.lead_id = lead_id
        env.schema_version = "v1"
        env.correlation_id = f"corr-{lead_id or 'none'}"
        return env.event_id

    def capture(self, lead_id, who, *, demo=False, region="emea", source_system="web-form",
                event_id=None):
        """A LeadCaptured. Fit 35 (software, 201-1000): with demo=True its
        trigger_signal demo_request makes it high intent, else intent 0 is
        below the qualification threshold: nurture."""
        m = self.pb.lead.LeadCaptured()
        self.envelope(m.envelope, lead_id, source_system, event_id)
        m.person.email = f"{who}@{self.domain}"
        m.person.first_name, m.person.last_name = who.capitalize(), "Conformance"
        m.person.title, m.person.seniority, m.person.language = "Head of Ops", "manager", "en"
        c = m.company
        c.name, c.domain = f"{self.s.tag} Corp", self.domain
        c.industry, c.employee_band, c.revenue_band = "software", "201-1000", "1M-10M"
        c.country, c.region = ("DE", "emea") if region == "emea" else ("US", region)
        m.consent.email_opt_in = True
        m.consent.policy_version = "2024-03"
        m.source, m.medium, m.campaign = "google", "cpc", "conformance-q3"
        ft = m.first_touch
        ft.time.FromDatetime((now_utc() - datetime.timedelta(days=2)).replace(tzinfo=None))
        ft.url = "https://www.baton.example/blog/speed-to-lead?utm_source=organic"
        ft.landing_page, ft.source, ft.medium, ft.campaign = ("/blog/speed-to-lead", "organic",
                                                              "organic", "seo-blog")
        lt = m.latest_touch
        lt.time.FromDatetime(now_utc().replace(tzinfo=None))
        lt.url = "https://www.baton.example/lp/demo?utm_source=google&utm_campaign=conformance-q3"
        lt.landing_page, lt.ad_id, lt.ad_message = "/lp/demo", "gads-1", "Route leads in minutes"
        lt.source, lt.medium, lt.campaign = "google", "cpc", "conformance-q3"
        m.form_id = "form-demo" if demo else "form-newsletter"
        m.hand_raise_reason = "Asked for a demo" if demo else "Downloaded the ebook"
        m.product_interest = "baton-routing"
        if demo:
            m.trigger_signal = "demo_request"
        return m

    def headers(self, ce_id, ce_type, source="conformance/web-form",
                content_type="application/protobuf"):
        return [("ce_specversion", "1.0"), ("ce_id", ce_id), ("ce_source", source),
                ("ce_type", ce_type), ("content-type", content_type)]

    def send(self, name, topic, value, key, headers, valid=True):
        """confluent-kafka, default partitioner."""
        t = self.s.topic(topic)
        part, off = self.up.send(t, value, key=key.encode() if key is not None else None,
                                 headers=headers)
        ce_id = dict(headers).get("ce_id")
        self.sent.append({"name": name, "topic": topic, "key": key, "partition": part,
                          "offset": off, "ce_id": ce_id, "value": value})
        if valid and ce_id:
            self.valid_ce_ids.add(ce_id)
        log(f"sent {name}: {t}[{part}]@{off} key={key!r} ce_id={ce_id}")
        return part, off

    def send_proto(self, name, topic, msg, key, source="conformance/web-form", ce_id=None):
        ce_id = ce_id or msg.envelope.event_id or str(uuid.uuid4())
        return self.send(name, topic, msg.SerializeToString(), key,
                         self.headers(ce_id, msg.DESCRIPTOR.full_name, source))

    def send_kcat_json(self, name, topic, msg, key, source):
        """kcat -P, default partitioner, proto3 JSON value."""
        ce_id = msg.envelope.event_id
        body = json_format.MessageToJson(msg, indent=None)
        argv = ["kcat", "-P", "-b", self.s.bootstrap, "-t", self.s.topic(topic), "-k", key]
        for k, v in self.headers(ce_id, msg.DESCRIPTOR.full_name, source, "application/json"):
            argv += ["-H", f"{k}={v}"]
        r = subprocess.run(argv, input=(body + "\n").encode(), capture_output=True, timeout=60)
        check(r.returncode == 0, f"kcat produce failed: {r.stderr.decode(errors='replace')}")
        self.sent.append({"name": name, "topic": topic, "key": key, "partition": None,
                          "offset": None, "ce_id": ce_id})
        self.valid_ce_ids.add(ce_id)
        log(f"sent {name} with kcat as JSON: key={key!r} ce_id={ce_id} {body}")

    # --- reading results ----------------------------------------------------
    def routing_events(self, lead, kind=None):
        out = []
        for r in self.readers["routing"].records:
            k, m = member(r.msg)
            if m is not None and lead_of(r) == lead and (kind is None or k == kind):
                out.append(m)
        return out

    def sla_events(self, lead, kind=None):
        out = []
        for r in self.readers["sla"].records:
            k, m = member(r.msg)
            if m is not None and lead_of(r) == lead and (kind is None or k == kind):
                out.append((k, m))
        return out

    def dead_letters(self, ce_id):
        return [r for r in self.readers["dlq"].records if r.headers.get("ce_id") == ce_id]

    def describe_lead(self, lead):
        kinds = [member(r.msg)[0] for r in self.readers["routing"].records if lead_of(r) == lead]
        sla = [k for k, _ in self.sla_events(lead)]
        rej = [f"{m.rule}: {m.detail}" for r in self.readers["lifecycle"].records
               for k, m in [member(r.msg)] if k == "rejected" and lead_of(r) == lead]
        return (f"lead {lead}: routing events {kinds or 'none'}, sla events {sla or 'none'}"
                + (f", refused transitions {rej}" if rej else ""))

    def wait_http(self, what, service, path, predicate):
        """Polls GET path on a service's admin port until predicate(json body)."""
        url = self.s.url(service, path)

        def ok():
            status, body = http_json(url)
            return status == 200 and isinstance(body, dict) and predicate(body)

        def last():
            status, body = http_get(url)
            return f"last answer from {url}: HTTP {status} {body[:300]}"

        self.wait(f"{path} on {service} to show {what}", ok, detail=last)

    def timeline_stage(self, lead):
        status, body = http_json(self.s.url("feedback", f"/leads/{lead}/timeline"))
        return body.get("stage") if status == 200 and isinstance(body, dict) else None

    # --- setup --------------------------------------------------------------
    def setup(self):
        s = self.s
        check(shutil.which("kcat"), "kcat not installed (Debian package kcat; run ./scripts/setup)")
        out = s.cli("topics", "create", name="topics")
        log("baton topics create: " + out.strip().splitlines()[-1])
        s.cli("roster", "load", str(ROOT / "tools/baton/samples/reps.yaml"), name="roster")
        admin = AdminClient({"bootstrap.servers": s.bootstrap})
        md = admin.list_topics(timeout=10).topics
        self.partitions = {t: len(md[s.topic(t)].partitions) for t in TOPICS}
        log(f"partitions: {self.partitions}")
        check(self.partitions["captured"] > 1,
              f"{s.topic('captured')} has {self.partitions['captured']} partition(s): "
              "misplacement cannot happen")
        self.admin = admin
        s.start_services()
        log(f"services ready: {s.ports} (folder {s.dir})")
        decoders = {"routing": self.pb.routing.RoutingEvent, "sla": self.pb.sla.SlaEvent,
                    "outcomes": self.pb.outcome.Outcome,
                    "lifecycle": self.pb.lifecycle.LifecycleEvent, "dlq": None}
        self.readers = {k: Reader(s.bootstrap, s.topic(k), d) for k, d in decoders.items()}
        self.up = Upstream(s.bootstrap)
        # The lifecycle lead's key is misplaced by librdkafka's default
        # partitioner on purpose: every event of its life takes the extra hop.
        n = self.partitions["captured"]
        for i in range(1000):
            lead = f"{s.tag}-life{i}"
            if baton_partition(lead, n) != librdkafka_default_partition(lead, n):
                break
        self.life = lead
        log(f"lifecycle lead {lead}: Baton's partition {baton_partition(lead, n)}, "
            f"librdkafka's default {librdkafka_default_partition(lead, n)}")

    # --- quiescence: every service has consumed everything ------------------
    def lagging(self, extra=None):
        """(service, topic, partition, committed, end) of every input a
        service has not consumed to its end. Topics this test writes end at
        the high watermark; transactional ones (Baton's own) end one offset
        earlier (the commit marker). `extra`: {service: (topic, ...)} read too."""
        md = self.admin.list_topics(timeout=10).topics
        upstream = {self.s.topic(t) for t in UPSTREAM}
        reads = {"router": ("captured", "signals", "erasure"),
                 "sla-monitor": ("activities", "crm", "erasure"),
                 "feedback": ("captured", "activities", "erasure")}
        out, snapshot = [], {}
        probe = Consumer({"bootstrap.servers": self.s.bootstrap,
                          "group.id": f"conformance-probe-{uuid.uuid4().hex}",
                          "enable.auto.commit": False})
        try:
            for svc, group in self.s.app_ids.items():
                fut = self.admin.list_consumer_group_offsets(
                    [ConsumerGroupTopicPartitions(group)], require_stable=True)[group]
                committed = {(tp.topic, tp.partition): tp.offset
                             for tp in fut.result(timeout=15).topic_partitions}
                wanted = set(committed)
                names = [self.s.topic(t) for t in reads[svc] + (extra or {}).get(svc, ())]
                names += [t for t in md if t.startswith(group + "-") and t.endswith("-repartition")]
                for t in names:
                    for p in (md[t].partitions if t in md else {}):
                        wanted.add((t, p))
                for (t, p) in sorted(wanted):
                    _, high = probe.get_watermark_offsets(TopicPartition(t, p), timeout=10)
                    end = high if t in upstream else high - 1
                    c = committed.get((t, p), -1)
                    snapshot[(group, t, p)] = (c, high)
                    if high > 0 and c < end:
                        out.append((svc, t, p, c, high))
        finally:
            probe.close()
        return out, snapshot

    def highs(self, topic, partitions):
        """{partition: high watermark}, asked by a consumer that fetches
        nothing (a reader's own request would wait behind its fetches)."""
        probe = Consumer({"bootstrap.servers": self.s.bootstrap,
                          "group.id": f"conformance-probe-{uuid.uuid4().hex}",
                          "enable.auto.commit": False})
        try:
            return {p: probe.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
                    for p in partitions}
        finally:
            probe.close()

    def quiesce(self):
        deadline = time.monotonic() + QUIESCE_S
        previous = None
        while True:
            self.s.alive()
            lag, snap = self.lagging()
            if not lag and snap == previous:
                for r in self.readers.values():
                    check(r.drain(self.highs(r.topic, r.partitions)),
                          f"could not read {r.topic} to its end")
                return
            previous = None if lag else snap
            if time.monotonic() > deadline:
                raise CheckFailed(f"services not caught up within {QUIESCE_S} s: "
                                  + "; ".join(f"{s} {t}[{p}] committed {c}, end {h}"
                                              for s, t, p, c, h in lag[:10]))
            time.sleep(1)
