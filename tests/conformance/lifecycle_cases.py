"""The lifecycle.* cases: one lead's whole life through the three services.

A capture that scores nurture, the kcat JSON demo request that makes it high
intent (an Assignment), the owner's call (SLA met, no breach), CRM stage
changes Qualified -> Opportunity -> Won (an Outcome with attribution), then
an ErasureRequest (404 from the router, the sla-monitor and feedback). A
returning buyer: a lead captured, assigned, touched and won, then captured
again later under the same lead id, gets a second cycle (an Assignment with
cycle 2, "returning" on the timeline) and a second Outcome. A mixin of
Session (session.py).
"""
from contract import CheckFailed, check, http_get, lead_of, log, member, now_utc


class LifecycleCases:
    """lifecycle.*: a mixin of Session."""

    # --- lifecycle cases ----------------------------------------------------
    def lifecycle_nurture(self):
        lead = self.life
        self.wait(f"a NurtureDecision for {lead} on {self.s.topic('routing')}",
                  lambda: self.routing_events(lead, "nurture"),
                  detail=lambda: self.describe_lead(lead))
        check(not self.routing_events(lead, "assignment"),
              f"{lead} was assigned on capture; it should score nurture (fit 35, intent 0)")
        self.wait_http("the nurture decision", "router", f"/leads/{lead}/routing",
                       lambda body: "nurture" in body)

    def lifecycle_signal(self):
        lead = self.life
        sig = self.pb.lead.EngagementSignal()
        self.envelope(sig.envelope, lead, "web-analytics")
        sig.type = self.pb.lead.SIGNAL_DEMO_REQUEST
        sig.url = "https://www.baton.example/demo"
        sig.touch.time.FromDatetime(now_utc().replace(tzinfo=None))
        sig.touch.url, sig.touch.landing_page = sig.url, "/demo"
        sig.touch.source, sig.touch.medium, sig.touch.campaign = "google", "cpc", "conformance-q3"
        self.send_kcat_json("demo request signal", "signals", sig, lead, "conformance/web")
        a = self.wait(f"an Assignment for {lead} after the demo request",
                      lambda: self.routing_events(lead, "assignment"),
                      detail=lambda: self.describe_lead(lead))[-1]
        check(a.tier == self.pb.common.TIER_HIGH_INTENT,
              f"assignment tier {self.pb.common.Tier.Name(a.tier)}, expected TIER_HIGH_INTENT")
        check(a.owner_rep_id, "assignment without owner_rep_id")
        self.owner = a.owner_rep_id
        log(f"{lead} assigned to {self.owner} (pool {a.handoff.pool}, tier high intent)")
        self.wait_http(f"the assignment to {self.owner}, high intent", "router",
                       f"/leads/{lead}/routing",
                       lambda body: body.get("assignment", {}).get("owner_rep_id") == self.owner
                       and body["assignment"].get("tier") == "TIER_HIGH_INTENT")

    def lifecycle_touch(self):
        lead, pb = self.life, self.pb
        a = pb.activity.SalesActivity()
        self.envelope(a.envelope, lead, "salesforce")
        a.rep_id, a.type, a.outcome = self.owner, pb.activity.ACTIVITY_CALL, "connected"
        self.send_proto("owner's first call", "activities", a, lead, "conformance/salesforce")
        _, met = self.wait(f"an SlaMet for {lead}", lambda: self.sla_events(lead, "met"),
                           detail=lambda: self.describe_lead(lead))[-1]
        check(met.owner_rep_id == self.owner,
              f"SlaMet owner {met.owner_rep_id!r}, expected {self.owner!r}")
        check(met.within_sla, "SlaMet.within_sla is false (first touch 10 min)")
        self.wait_http("status met", "sla-monitor", f"/leads/{lead}/sla",
                       lambda body: body.get("status") == "met")
        self.wait(f"/leads/{lead}/timeline on feedback to reach contacted",
                  lambda: self.timeline_stage(lead) == "contacted",
                  detail=lambda: f"stage {self.timeline_stage(lead)!r}; {self.describe_lead(lead)}")

    def lifecycle_stages(self):
        lead, pb = self.life, self.pb
        for stage in ("QUALIFIED", "OPPORTUNITY", "WON"):
            sc = pb.lifecycle.StageChange()
            self.envelope(sc.envelope, lead, "salesforce")
            sc.stage = pb.common.Stage.Value(f"STAGE_{stage}")
            sc.owner_rep_id = self.owner
            if stage == "WON":
                sc.amount_minor, sc.currency = 4_200_000, "EUR"
            self.send_proto(f"stage change to {stage.lower()}", "crm", sc, lead,
                            "conformance/salesforce")
            ev_id = sc.envelope.event_id

            def refused():
                for r in self.readers["lifecycle"].records:
                    k, m = member(r.msg)
                    if k == "rejected" and lead_of(r) == lead and m.envelope.causation_id == ev_id:
                        raise CheckFailed(f"feedback refused -> {stage.lower()}: rule {m.rule}: "
                                          f"{m.detail}")
                return self.timeline_stage(lead) == stage.lower()

            self.wait(f"/leads/{lead}/timeline to reach {stage.lower()}", refused,
                      detail=lambda: f"stage {self.timeline_stage(lead)!r}; "
                                     f"{self.describe_lead(lead)}")

    def lifecycle_outcome(self):
        lead, pb = self.life, self.pb

        def won():
            return [r.msg for r in self.readers["outcomes"].records if r.msg is not None
                    and lead_of(r) == lead and r.msg.stage == pb.common.STAGE_WON]

        o = self.wait(f"an Outcome (won) for {lead} on {self.s.topic('outcomes')}", won)[-1]
        problems = []
        if o.owner_rep_id != self.owner:
            problems.append(f"owner_rep_id {o.owner_rep_id!r} != {self.owner!r}")
        if o.amount_minor != 4_200_000 or o.currency != "EUR":
            problems.append(f"amount {o.amount_minor} {o.currency!r}, expected 4200000 EUR")
        if o.tier_at_handoff != pb.common.TIER_HIGH_INTENT:
            problems.append(f"tier_at_handoff {pb.common.Tier.Name(o.tier_at_handoff)}")
        if not (o.source and o.campaign):
            problems.append(f"source {o.source!r} / campaign {o.campaign!r} empty")
        if not o.HasField("first_touch") or not o.HasField("latest_touch"):
            problems.append("first_touch or latest_touch missing")
        if o.score_fit_at_handoff <= 0:
            problems.append(f"score_fit_at_handoff {o.score_fit_at_handoff}")
        at = o.attribution
        for model in ("first_touch", "last_touch", "w_shaped"):
            credits = getattr(at, model)
            if not credits:
                problems.append(f"attribution.{model} empty")
                continue
            for c in credits:
                if not (c.touch and c.weight > 0):
                    problems.append(f"attribution.{model} credit without touch/weight: {c}")
            total = sum(c.weight for c in credits)
            if abs(total - 1.0) > 0.01:
                problems.append(f"attribution.{model} weights sum to {total}, expected 1")
        check(not problems, "Outcome (won): " + "; ".join(problems))
        log(f"Outcome won: source {o.source}, campaign {o.campaign}, "
            f"w_shaped {[(c.touch, c.weight) for c in at.w_shaped]}")

    def lifecycle_erasure(self):
        lead, pb = self.life, self.pb
        for svc, path in (("router", "routing"), ("sla-monitor", "sla"), ("feedback", "timeline")):
            status, _ = http_get(self.s.url(svc, f"/leads/{lead}/{path}"))
            check(status == 200, f"before the erasure /leads/{lead}/{path} on {svc}: HTTP {status}")
        e = pb.lead.ErasureRequest()
        self.envelope(e.envelope, lead, "privacy-desk")
        e.requested_by, e.legal_basis = "dpo@baton.example", "gdpr_art17"
        self.send_proto("erasure request", "erasure", e, lead, "conformance/privacy")
        for svc, path in (("router", "routing"), ("sla-monitor", "sla"), ("feedback", "timeline")):
            url = self.s.url(svc, f"/leads/{lead}/{path}")
            self.wait(f"404 from {url} after the erasure", lambda: http_get(url)[0] == 404,
                      detail=lambda: f"last answer {http_get(url)}")

    def lifecycle_no_breach(self):
        lead = self.life
        bad = [k for k, _ in self.sla_events(lead)
               if k in ("breached", "escalated", "reassignment_requested")]
        check(not bad, f"{lead}: SLA events {bad} (the owner called within the first-touch SLA)")
        check(self.sla_events(lead, "started"), f"{lead}: no SlaClockStarted")
        self.settled("no breach")

    # --- a returning buyer (issue 19): a second cycle after a won one --------
    def _returning_cycle(self, lead, cycle, end):
        """Capture (demo request) -> Assignment of `cycle` -> the owner's call
        (SlaMet) -> Qualified -> Opportunity -> `end` -> its Outcome; all
        protobuf through confluent-kafka's default partitioner."""
        pb = self.pb
        if cycle > 1:
            # The router closes the last cycle when it reads feedback's
            # transition; a capture that overtakes it is a touch of the open
            # cycle. Wait until the router has read the lifecycle topic.
            life = self.s.topic("lifecycle")
            self.wait(f"the router to read {life} to its end",
                      lambda: not [x for x in self.lagging({"router": ("lifecycle",)})[0]
                                   if x[0] == "router" and x[1] == life])
        self.send_proto(f"returning buyer capture, cycle {cycle}", "captured",
                        self.capture(lead, "returning", demo=True), lead)
        a = self.wait(f"an Assignment of cycle {cycle} for {lead}",
                      lambda: [x for x in self.routing_events(lead, "assignment")
                               if x.cycle == cycle],
                      detail=lambda: self.describe_lead(lead))[-1]
        check(a.owner_rep_id, f"cycle {cycle} assignment without owner_rep_id")
        log(f"{lead} cycle {cycle} assigned to {a.owner_rep_id} (pool {a.handoff.pool})")
        call = pb.activity.SalesActivity()
        self.envelope(call.envelope, lead, "salesforce")
        call.rep_id, call.type, call.outcome = a.owner_rep_id, pb.activity.ACTIVITY_CALL, "connected"
        self.send_proto(f"returning buyer call, cycle {cycle}", "activities", call, lead,
                        "conformance/salesforce")
        self.wait(f"an SlaMet for {lead} in cycle {cycle}",
                  lambda: len(self.sla_events(lead, "met")) >= cycle,
                  detail=lambda: f"met {len(self.sla_events(lead, 'met'))}; "
                                 f"{self.describe_lead(lead)}")
        self.wait(f"/leads/{lead}/timeline to reach contacted (cycle {cycle})",
                  lambda: self.timeline_stage(lead) == "contacted",
                  detail=lambda: f"stage {self.timeline_stage(lead)!r}; {self.describe_lead(lead)}")
        for stage in ("QUALIFIED", "OPPORTUNITY", end):
            sc = pb.lifecycle.StageChange()
            self.envelope(sc.envelope, lead, "salesforce")
            sc.stage = pb.common.Stage.Value(f"STAGE_{stage}")
            sc.owner_rep_id = a.owner_rep_id
            if stage == "WON":
                sc.amount_minor, sc.currency = 1_500_000, "EUR"
            if stage == "LOST":
                sc.disposition.reason = pb.common.DISPOSITION_NO_BUDGET
                sc.disposition.text = "budget moved to next year"
            self.send_proto(f"returning buyer cycle {cycle}: {stage.lower()}", "crm", sc, lead,
                            "conformance/salesforce")
            self.wait(f"/leads/{lead}/timeline to reach {stage.lower()} (cycle {cycle})",
                      lambda st=stage.lower(): self.timeline_stage(lead) == st,
                      detail=lambda: f"stage {self.timeline_stage(lead)!r}; "
                                     f"{self.describe_lead(lead)}")
        want = pb.common.Stage.Value(f"STAGE_{end}")
        o = self.wait(f"an Outcome ({end.lower()}) for {lead}",
                      lambda: [r.msg for r in self.readers["outcomes"].records
                               if r.msg is not None and lead_of(r) == lead
                               and r.msg.stage == want])[-1]
        check(o.owner_rep_id == a.owner_rep_id,
              f"cycle {cycle} Outcome owner {o.owner_rep_id!r} != {a.owner_rep_id!r}")
        return a, o

    def returning_first_cycle(self):
        self.ret = f"{self.s.tag}-returning"
        self._returning_cycle(self.ret, 1, "WON")

    def returning_second_cycle(self):
        lead, pb = self.ret, self.pb
        a, _ = self._returning_cycle(lead, 2, "LOST")
        first = [x for x in self.routing_events(lead, "assignment") if x.cycle == 1]
        check(len(first) == 1, f"{len(first)} cycle-1 assignments for {lead}, expected 1")
        outcomes = [r.msg.stage for r in self.readers["outcomes"].records
                    if r.msg is not None and lead_of(r) == lead
                    and r.msg.stage in (pb.common.STAGE_WON, pb.common.STAGE_LOST)]
        check(outcomes == [pb.common.STAGE_WON, pb.common.STAGE_LOST],
              f"{lead} outcomes {[pb.common.Stage.Name(x) for x in outcomes]}, "
              "expected one per cycle: WON then LOST")
        status, body = http_get(self.s.url("feedback", f"/leads/{lead}/timeline"))
        check(status == 200, f"/leads/{lead}/timeline on feedback: HTTP {status}")
        check("returning" in body and "cycle 2" in body,
              f"{lead}'s timeline does not say 'returning' and 'cycle 2'")
        log(f"{lead}: cycle 2 owner {a.owner_rep_id}, outcomes WON then LOST")
