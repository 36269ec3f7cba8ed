#!/usr/bin/env python3
"""Unit tests of the Helm chart's rendered manifests (helm template + YAML).

Run: python3 tests/deploy/chart_test.py  (helm from scripts/deploy-tools)
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import unittest

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "baton"
ALL_VALUES = ROOT / "tests" / "deploy" / "values-all.yaml"
COMPONENTS = {"router": "baton-router", "sla-monitor": "baton-sla-monitor",
              "feedback": "baton-feedback"}
# The query listener with both Secrets (issue 21 point 5).
QUERIES = ["--set", "queries.enabled=true",
           "--set", "queries.tokens.existingSecret=query-tokens",
           "--set", "queries.tls.existingSecret=query-tls"]
QUERY_CONFIG = {"port": 8443, "plaintext": False,
                "token_file": "/etc/baton/query/tokens/tokens.yaml",
                "tls_cert_file": "/etc/baton/query/tls/tls.crt",
                "tls_key_file": "/etc/baton/query/tls/tls.key",
                "peer_ca_file": "/etc/baton/query/tls/ca.crt"}
MONITORING_ONLY = [{"namespaceSelector": {"matchExpressions": [
    {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["monitoring"]}]}}]


def helm_binary():
    local = ROOT / ".cache" / "bin" / "helm"
    if local.exists():
        return str(local)
    found = shutil.which("helm")
    if not found:
        raise unittest.SkipTest("helm not installed: run scripts/deploy-tools")
    return found


def helm_template(*args):
    cmd = [helm_binary(), "template", "baton", str(CHART), "--namespace", "sales",
           "--kube-version", "1.33.0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def render(*args):
    out = helm_template(*args)
    if out.returncode != 0:
        raise AssertionError(f"helm template {' '.join(args)} failed:\n{out.stderr}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def by_kind(docs, kind):
    return [d for d in docs if d["kind"] == kind]


def component_of(doc):
    return doc["metadata"]["labels"].get("app.kubernetes.io/component")


def container(sts):
    return sts["spec"]["template"]["spec"]["containers"][0]


def config_of(docs, sts):
    cm = next(c for c in by_kind(docs, "ConfigMap")
              if c["metadata"]["name"] == sts["metadata"]["name"])
    return yaml.safe_load(cm["data"]["config.yaml"])


def env_of(workload):
    """{name: value, or the secretKeyRef as {"name", "key"}} of a StatefulSet's or Job's container."""
    c = workload["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e["value"] if "value" in e else
            e["valueFrom"].get("secretKeyRef", e["valueFrom"]) for e in c["env"]}


def sasl_of(workload):
    """(username, password) env of a workload: a clear value or a secretKeyRef."""
    env = env_of(workload)
    return env.get("BATON_KAFKA_SASL_USERNAME"), env.get("BATON_KAFKA_SASL_PASSWORD")


def own_pods(netpol):
    """The peer that selects the NetworkPolicy's own component (replicas forward queries)."""
    return {"podSelector": {"matchLabels": netpol["spec"]["podSelector"]["matchLabels"]}}


def ingress_by_port(netpol):
    """{port name: the `from` peers of the rule opening it (None: from anywhere)}."""
    out = {}
    for rule in netpol["spec"].get("ingress", []):
        for port in rule["ports"]:
            out[port["port"]] = rule.get("from")
    return out


class DefaultRender(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = render()
        cls.sts = {component_of(s): s for s in by_kind(cls.docs, "StatefulSet")}

    def test_one_statefulset_per_component_running_its_binary(self):
        self.assertEqual(set(self.sts), set(COMPONENTS))
        for comp, binary in COMPONENTS.items():
            c = self.sts[comp]["spec"]["template"]["spec"]["containers"][0]
            self.assertEqual(c["command"], [binary])
            self.assertEqual(c["args"][:4], ["--config", "/etc/baton/config.yaml",
                                             "--instance-id", "$(POD_NAME)"])
            self.assertEqual(c["ports"], [{"name": "admin", "containerPort": 8080,
                                           "protocol": "TCP"}])

    def test_recommended_labels_and_selector(self):
        for comp, s in self.sts.items():
            labels = s["metadata"]["labels"]
            for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance",
                        "app.kubernetes.io/version", "app.kubernetes.io/managed-by",
                        "helm.sh/chart"):
                self.assertIn(key, labels)
            sel = s["spec"]["selector"]["matchLabels"]
            self.assertEqual(sel["app.kubernetes.io/component"], comp)
            pod_labels = s["spec"]["template"]["metadata"]["labels"]
            self.assertLessEqual(sel.items(), pod_labels.items())

    def test_probes_on_admin_port(self):
        for s in self.sts.values():
            c = s["spec"]["template"]["spec"]["containers"][0]
            self.assertEqual(c["livenessProbe"]["httpGet"], {"path": "/healthz", "port": "admin"})
            self.assertEqual(c["readinessProbe"]["httpGet"], {"path": "/readyz", "port": "admin"})
            self.assertEqual(c["startupProbe"]["httpGet"], {"path": "/healthz", "port": "admin"})

    def test_security_context(self):
        for s in self.sts.values():
            pod = s["spec"]["template"]["spec"]
            self.assertTrue(pod["securityContext"]["runAsNonRoot"])
            self.assertEqual(pod["securityContext"]["runAsUser"], 10001)
            self.assertEqual(pod["securityContext"]["seccompProfile"], {"type": "RuntimeDefault"})
            sc = pod["containers"][0]["securityContext"]
            self.assertTrue(sc["runAsNonRoot"])
            self.assertTrue(sc["readOnlyRootFilesystem"])
            self.assertFalse(sc["allowPrivilegeEscalation"])
            self.assertEqual(sc["capabilities"]["drop"], ["ALL"])
            self.assertEqual(sc["seccompProfile"], {"type": "RuntimeDefault"})
            self.assertFalse(pod["automountServiceAccountToken"])

    def test_writable_paths_are_volumes(self):
        for s in self.sts.values():
            mounts = {m["mountPath"]: m for m in
                      s["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]}
            self.assertIn("/var/lib/baton", mounts)
            self.assertIn("/tmp", mounts)
            self.assertTrue(mounts["/etc/baton/config.yaml"]["readOnly"])

    def test_termination_grace_above_shutdown_grace(self):
        for s in self.sts.values():
            self.assertGreater(s["spec"]["template"]["spec"]["terminationGracePeriodSeconds"], 30)

    def test_state_on_pvc_by_default(self):
        for s in self.sts.values():
            claims = s["spec"]["volumeClaimTemplates"]
            self.assertEqual([c["metadata"]["name"] for c in claims], ["state"])
            self.assertEqual(claims[0]["spec"]["resources"]["requests"]["storage"], "5Gi")
            self.assertNotIn("state", [v["name"] for v in s["spec"]["template"]["spec"]["volumes"]])

    def test_resources_set(self):
        for s in self.sts.values():
            res = s["spec"]["template"]["spec"]["containers"][0]["resources"]
            self.assertIn("cpu", res["requests"])
            self.assertIn("memory", res["limits"])

    def test_pdb_per_component_matches_pods(self):
        pdbs = {component_of(p): p for p in by_kind(self.docs, "PodDisruptionBudget")}
        self.assertEqual(set(pdbs), set(COMPONENTS))
        for comp, p in pdbs.items():
            self.assertEqual(p["spec"]["maxUnavailable"], 1)
            self.assertEqual(p["spec"]["selector"]["matchLabels"],
                             self.sts[comp]["spec"]["selector"]["matchLabels"])

    def test_services_admin_and_headless(self):
        svcs = {s["metadata"]["name"]: s for s in by_kind(self.docs, "Service")}
        for comp, s in self.sts.items():
            headless = svcs[s["spec"]["serviceName"]]
            self.assertEqual(headless["spec"]["clusterIP"], "None")
            admin = svcs[s["metadata"]["name"]]
            self.assertEqual(admin["spec"]["ports"][0]["targetPort"], "admin")
            self.assertEqual(admin["metadata"]["labels"]["baton.io/admin"], "true")

    def test_config_map_and_checksum_annotation(self):
        cms = {c["metadata"]["name"]: c for c in by_kind(self.docs, "ConfigMap")}
        for s in self.sts.values():
            cm = cms[s["metadata"]["name"]]
            cfg = yaml.safe_load(cm["data"]["config.yaml"])
            self.assertEqual(cfg["runtime"]["shutdown_grace"], "30s")
            ann = s["spec"]["template"]["metadata"]["annotations"]
            self.assertRegex(ann["checksum/config"], "^[0-9a-f]{64}$")

    def test_config_change_rolls_only_that_component(self):
        changed = {component_of(s): s for s in by_kind(
            render("--set", "router.config.router.mql_threshold=50"), "StatefulSet")}

        def checksum(s):
            return s["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
        self.assertNotEqual(checksum(changed["router"]), checksum(self.sts["router"]))
        self.assertEqual(checksum(changed["feedback"]), checksum(self.sts["feedback"]))

    def test_kafka_from_values(self):
        env = {e["name"]: e for e in
               self.sts["router"]["spec"]["template"]["spec"]["containers"][0]["env"]}
        self.assertEqual(env["BATON_KAFKA_BOOTSTRAP_SERVERS"]["value"], "kafka:9092")
        self.assertEqual(env["BATON_KAFKA_SECURITY_PROTOCOL"]["value"], "PLAINTEXT")
        self.assertNotIn("BATON_KAFKA_SASL_PASSWORD", env)

    def test_queries_off_by_default(self):
        # Listener off: no port, no Secret mounted, no runtime.query, no query
        # Service, no query rule in the NetworkPolicy.
        docs = render("--set", "networkPolicy.enabled=true")
        for s in by_kind(docs, "StatefulSet"):
            self.assertEqual([p["name"] for p in container(s)["ports"]], ["admin"])
            self.assertFalse([m for m in container(s)["volumeMounts"]
                              if m["mountPath"].startswith("/etc/baton/query")])
            self.assertFalse([v for v in s["spec"]["template"]["spec"]["volumes"] if "secret" in v])
            self.assertNotIn("query", config_of(docs, s)["runtime"])
        for svc in by_kind(docs, "Service"):
            self.assertEqual([p["targetPort"] for p in svc["spec"]["ports"]], ["admin"])
            self.assertFalse(svc["metadata"]["name"].endswith("-query"))
        for n in by_kind(docs, "NetworkPolicy"):
            self.assertEqual(set(ingress_by_port(n)), {"admin"})
        self.assertNotIn("query", helm_template("--set", "networkPolicy.enabled=true").stdout.lower())

    def test_network_policy_metrics_from_monitoring_namespace_by_default(self):
        nps = by_kind(render("--set", "networkPolicy.enabled=true"), "NetworkPolicy")
        self.assertEqual(len(nps), len(COMPONENTS))
        for n in nps:
            self.assertEqual(ingress_by_port(n), {"admin": MONITORING_ONLY})

    def test_network_policy_metrics_namespaces_and_selector(self):
        docs = render("--set", "networkPolicy.enabled=true",
                      "--set", "networkPolicy.metrics.allowedNamespaces={observability}",
                      "--set", "networkPolicy.metrics.namespaceSelector.team=sre")
        for n in by_kind(docs, "NetworkPolicy"):
            self.assertEqual(ingress_by_port(n)["admin"], [
                {"namespaceSelector": {"matchExpressions": [{
                    "key": "kubernetes.io/metadata.name", "operator": "In",
                    "values": ["observability"]}]}},
                {"namespaceSelector": {"matchLabels": {"team": "sre"}}}])
        # Backward compatible: all empty opens the admin port to any pod.
        docs = render("--set", "networkPolicy.enabled=true",
                      "--set", "networkPolicy.metrics.allowedNamespaces=null")
        for n in by_kind(docs, "NetworkPolicy"):
            self.assertEqual(ingress_by_port(n), {"admin": None})

    def test_optional_objects_absent(self):
        kinds = {d["kind"] for d in self.docs}
        for kind in ("ServiceMonitor", "PrometheusRule", "NetworkPolicy", "Job"):
            self.assertNotIn(kind, kinds)
        self.assertFalse([c for c in by_kind(self.docs, "ConfigMap")
                          if "grafana_dashboard" in c["metadata"]["labels"]])


class EverythingEnabled(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = render("-f", str(ALL_VALUES))
        cls.sts = {component_of(s): s for s in by_kind(cls.docs, "StatefulSet")}

    def test_sasl_and_tls_from_existing_secrets(self):
        pod = self.sts["feedback"]["spec"]["template"]["spec"]
        env = {e["name"]: e for e in pod["containers"][0]["env"]}
        self.assertEqual(env["BATON_KAFKA_SECURITY_PROTOCOL"]["value"], "SASL_SSL")
        self.assertEqual(env["BATON_KAFKA_SASL_MECHANISM"]["value"], "SCRAM-SHA-512")
        self.assertEqual(env["BATON_KAFKA_SASL_USERNAME"]["valueFrom"]["secretKeyRef"],
                         {"name": "baton-kafka-user", "key": "user"})
        self.assertEqual(env["BATON_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"],
                         {"name": "baton-kafka-user", "key": "password"})
        self.assertEqual(env["BATON_KAFKA_SSL_CA_LOCATION"]["value"], "/etc/baton/kafka-tls/ca.crt")
        self.assertEqual(env["BATON_KAFKA_CLIENT_RACK"]["value"], "zone-a")
        self.assertEqual(env["BATON_KAFKA_SOCKET_KEEPALIVE_ENABLE"]["value"], "true")
        vols = {v["name"]: v for v in pod["volumes"]}
        self.assertEqual(vols["kafka-tls"]["secret"]["secretName"], "my-cluster-cluster-ca-cert")
        self.assertEqual(pod["imagePullSecrets"], [{"name": "regcred"}])
        self.assertEqual(pod["containers"][0]["image"], "registry.example.com/baton:0.1.0-test")

    def test_own_principals_of_router_and_topics_job(self):
        # values-all.yaml: router and the topics Job have their own Secrets,
        # sla-monitor and feedback the shared one.
        self.assertEqual(sasl_of(self.sts["router"]),
                         ("baton-router", {"name": "baton-router", "key": "password"}))
        [job] = by_kind(self.docs, "Job")
        self.assertEqual(sasl_of(job), ({"name": "baton-topics", "key": "user"},
                                        {"name": "baton-topics", "key": "password"}))
        self.assertEqual(env_of(job)["BATON_KAFKA_SASL_MECHANISM"], "SCRAM-SHA-512")
        for comp in ("sla-monitor", "feedback"):
            self.assertEqual(sasl_of(self.sts[comp]), ({"name": "baton-kafka-user", "key": "user"},
                                                       {"name": "baton-kafka-user", "key": "password"}))

    def test_emptydir_when_persistence_disabled(self):
        s = self.sts["sla-monitor"]
        self.assertNotIn("volumeClaimTemplates", s["spec"])
        vols = {v["name"]: v for v in s["spec"]["template"]["spec"]["volumes"]}
        self.assertEqual(vols["state"], {"name": "state", "emptyDir": {"sizeLimit": "2Gi"}})
        router_claim = self.sts["router"]["spec"]["volumeClaimTemplates"][0]["spec"]
        self.assertEqual(router_claim["storageClassName"], "fast-ssd")
        feedback_claim = self.sts["feedback"]["spec"]["volumeClaimTemplates"][0]["spec"]
        self.assertEqual(feedback_claim["storageClassName"], "")

    def test_component_config_merged_over_common(self):
        cfg = config_of(self.docs, self.sts["router"])
        self.assertEqual(cfg, {"runtime": {"shutdown_grace": "45s", "query": QUERY_CONFIG},
                               "router": {"scoring": {"mql_threshold": 40}}})

    def test_pdb_min_available(self):
        pdb = next(p for p in by_kind(self.docs, "PodDisruptionBudget")
                   if component_of(p) == "router")
        self.assertEqual(pdb["spec"], {"minAvailable": 2, "selector": pdb["spec"]["selector"]})

    def test_service_monitor_scrapes_admin_services(self):
        [sm] = by_kind(self.docs, "ServiceMonitor")
        self.assertEqual(sm["metadata"]["labels"]["release"], "kube-prometheus-stack")
        self.assertEqual(sm["spec"]["selector"]["matchLabels"]["baton.io/admin"], "true")
        [ep] = sm["spec"]["endpoints"]
        self.assertEqual((ep["port"], ep["path"], ep["honorLabels"]), ("http-admin", "/metrics", True))
        admin_ports = {p["name"] for s in by_kind(self.docs, "Service") for p in s["spec"]["ports"]}
        self.assertIn(ep["port"], admin_ports)

    def test_prometheus_rule_is_the_rules_file(self):
        [pr] = by_kind(self.docs, "PrometheusRule")
        rules = yaml.safe_load((CHART / "files/rules.yml").read_text())
        self.assertEqual(pr["spec"]["groups"], rules["groups"])

    def test_grafana_dashboard_config_map(self):
        [cm] = [c for c in by_kind(self.docs, "ConfigMap")
                if c["metadata"]["labels"].get("grafana_dashboard") == "1"]
        self.assertEqual(cm["metadata"]["annotations"]["grafana_folder"], "Revenue")
        shipped = json.loads(cm["data"]["baton.json"])
        source = json.loads((CHART / "files/baton.json").read_text())
        self.assertEqual(shipped, source)

    def test_network_policy_per_component(self):
        nps = {component_of(n): n for n in by_kind(self.docs, "NetworkPolicy")}
        self.assertEqual(set(nps), set(COMPONENTS))
        spec = nps["router"]["spec"]
        self.assertEqual(spec["policyTypes"], ["Ingress", "Egress"])
        self.assertEqual(spec["ingress"][0]["ports"], [{"port": "admin", "protocol": "TCP"}])
        # networkPolicy.ingressFrom, when set, is the admin port's peers as before.
        self.assertEqual(spec["ingress"][0]["from"], [{"namespaceSelector": {
            "matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}])
        self.assertEqual(ingress_by_port(nps["router"])["query"], [{"namespaceSelector": {
            "matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In",
                                  "values": ["crm", "bi"]}]}}, own_pods(nps["router"])])
        egress_ports = {p["port"] for rule in spec["egress"] for p in rule["ports"]}
        # DNS, the brokers, and the other replicas' query port (forwarded queries).
        self.assertEqual(egress_ports, {53, 9092, 9093, 8443})
        [to_replicas] = [r for r in spec["egress"] if r["ports"][0]["port"] == 8443]
        self.assertEqual(to_replicas["to"], [own_pods(nps["router"])])

    def test_topics_job(self):
        [job] = by_kind(self.docs, "Job")
        self.assertIn("pre-install", job["metadata"]["annotations"]["helm.sh/hook"])
        c = job["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(c["command"], ["baton"])
        self.assertEqual(c["args"][:2], ["topics", "create"])
        self.assertTrue(c["securityContext"]["readOnlyRootFilesystem"])
        cm = next(x for x in by_kind(self.docs, "ConfigMap") if x["metadata"]["name"].endswith("-topics"))
        topics = {t["name"]: t for t in yaml.safe_load(cm["data"]["topics.yaml"])["topics"]}
        self.assertEqual(topics["baton.leads.captured"]["partitions"], 6)
        self.assertEqual(topics["baton.roster.reps"]["config"], {"cleanup.policy": "compact"})
        self.assertEqual(topics["baton.dlq"]["replication_factor"], 3)

    def test_common_labels_and_annotations(self):
        for d in self.docs:
            self.assertEqual(d["metadata"]["labels"].get("team"), "revops", d["metadata"]["name"])


class KafkaPrincipals(unittest.TestCase):
    """One Kafka principal per component and for the topics Job (issue 21 point 3;
    docs/security.md): <component>.kafka.sasl.* and topics.kafka.sasl.* over the
    shared kafka.sasl."""

    SHARED = ["--set", "kafka.securityProtocol=SASL_SSL", "--set", "kafka.sasl.mechanism=SCRAM-SHA-512",
              "--set", "kafka.sasl.existingSecret=baton-shared", "--set", "topics.create=true"]
    SHARED_SASL = ({"name": "baton-shared", "key": "username"},
                   {"name": "baton-shared", "key": "password"})
    KEYS = {"router": "router", "sla-monitor": "slaMonitor", "feedback": "feedback"}

    def workloads(self, *args):
        docs = render(*self.SHARED, *args)
        out = {component_of(s): s for s in by_kind(docs, "StatefulSet")}
        [out["topics"]] = by_kind(docs, "Job")
        return out

    def test_shared_block_when_no_override(self):
        for name, w in self.workloads().items():
            self.assertEqual(sasl_of(w), self.SHARED_SASL, name)
            self.assertEqual(env_of(w)["BATON_KAFKA_SASL_MECHANISM"], "SCRAM-SHA-512", name)

    def test_component_override_reaches_only_its_pods(self):
        for comp, key in self.KEYS.items():
            user, secret = f"baton-{comp}", f"kafka-user-{comp}"
            args = ["--set", f"{key}.kafka.sasl.existingSecret={secret}",
                    "--set", f"{key}.kafka.sasl.username={user}"]
            ws = self.workloads(*args)
            self.assertEqual(sasl_of(ws[comp]), (user, {"name": secret, "key": "password"}), comp)
            for other, w in ws.items():
                if other != comp:
                    self.assertEqual(sasl_of(w), self.SHARED_SASL, f"{comp} leaked into {other}")
            # The Secret is named by that component's pods only (its password).
            out = helm_template(*self.SHARED, *args).stdout
            self.assertEqual(out.count(secret), 1, comp)

    def test_every_workload_its_own_principal(self):
        args = []
        for key, user in [("router", "baton-router"), ("slaMonitor", "baton-sla-monitor"),
                          ("feedback", "baton-feedback"), ("topics", "baton-topics")]:
            args += ["--set", f"{key}.kafka.sasl.existingSecret={user}",
                     "--set", f"{key}.kafka.sasl.username={user}"]
        ws = self.workloads(*args)
        self.assertEqual({n: sasl_of(w) for n, w in ws.items()},
                         {n: (f"baton-{n}", {"name": f"baton-{n}", "key": "password"})
                          for n in ("router", "sla-monitor", "feedback", "topics")})
        self.assertNotIn("baton-shared", helm_template(*self.SHARED, *args).stdout)

    def test_topics_job_uses_its_own_when_set(self):
        ws = self.workloads("--set", "topics.kafka.sasl.existingSecret=baton-topics",
                            "--set", "topics.kafka.sasl.passwordKey=pw")
        self.assertEqual(sasl_of(ws["topics"]), ({"name": "baton-topics", "key": "username"},
                                                 {"name": "baton-topics", "key": "pw"}))
        for comp in self.KEYS:
            self.assertEqual(sasl_of(ws[comp]), self.SHARED_SASL, comp)

    def test_empty_fields_fall_back_to_the_shared_block(self):
        # One Secret with a key per principal: only the keys and the username are own.
        ws = self.workloads("--set", "kafka.sasl.usernameKey=user",
                            "--set", "feedback.kafka.sasl.passwordKey=feedback-password",
                            "--set", "feedback.kafka.sasl.username=baton-feedback",
                            "--set", "slaMonitor.kafka.sasl.usernameKey=sla-user",
                            "--set", "slaMonitor.kafka.sasl.passwordKey=sla-password")
        self.assertEqual(sasl_of(ws["feedback"]),
                         ("baton-feedback", {"name": "baton-shared", "key": "feedback-password"}))
        self.assertEqual(sasl_of(ws["sla-monitor"]), ({"name": "baton-shared", "key": "sla-user"},
                                                      {"name": "baton-shared", "key": "sla-password"}))
        self.assertEqual(sasl_of(ws["router"]), ({"name": "baton-shared", "key": "user"},
                                                 {"name": "baton-shared", "key": "password"}))

    def test_own_secret_never_takes_the_shared_clear_username(self):
        # A shared clear username names the shared principal: with its own Secret,
        # router reads its username from that Secret.
        ws = self.workloads("--set", "kafka.sasl.username=baton",
                            "--set", "router.kafka.sasl.existingSecret=baton-router")
        self.assertEqual(sasl_of(ws["router"]), ({"name": "baton-router", "key": "username"},
                                                 {"name": "baton-router", "key": "password"}))
        self.assertEqual(sasl_of(ws["feedback"]),
                         ("baton", {"name": "baton-shared", "key": "password"}))

    def test_override_changes_only_that_pod_template(self):
        before = self.workloads()
        after = self.workloads("--set", "slaMonitor.kafka.sasl.existingSecret=baton-sla-monitor")
        for name in before:
            same = before[name]["spec"]["template"] == after[name]["spec"]["template"]
            self.assertEqual(same, name != "sla-monitor", name)


class QueriesEnabled(unittest.TestCase):
    """queries.enabled with both Secrets: the query listener of every component."""

    @classmethod
    def setUpClass(cls):
        cls.docs = render(*QUERIES, "--set", "networkPolicy.enabled=true",
                          "--set", "queries.networkPolicy.allowedNamespaces={crm,bi}")
        cls.sts = {component_of(s): s for s in by_kind(cls.docs, "StatefulSet")}
        cls.svcs = {s["metadata"]["name"]: s for s in by_kind(cls.docs, "Service")}

    def test_pods_mount_both_secrets_read_only(self):
        for comp, s in self.sts.items():
            pod = s["spec"]["template"]["spec"]
            vols = {v["name"]: v for v in pod["volumes"]}
            self.assertEqual(vols["query-tokens"]["secret"]["secretName"], "query-tokens")
            self.assertEqual(vols["query-tokens"]["secret"]["items"],
                             [{"key": "tokens.yaml", "path": "tokens.yaml"}])
            self.assertEqual(vols["query-tls"]["secret"]["secretName"], "query-tls")
            self.assertEqual({i["key"] for i in vols["query-tls"]["secret"]["items"]},
                             {"tls.crt", "tls.key", "ca.crt"})
            mounts = {m["name"]: m for m in container(s)["volumeMounts"]}
            # Whole directories (no subPath): a Secret update reaches the pod.
            self.assertEqual(mounts["query-tokens"], {"name": "query-tokens", "readOnly": True,
                                                      "mountPath": "/etc/baton/query/tokens"})
            self.assertEqual(mounts["query-tls"], {"name": "query-tls", "readOnly": True,
                                                   "mountPath": "/etc/baton/query/tls"}, comp)

    def test_config_points_at_the_mounted_files(self):
        for comp, s in self.sts.items():
            cfg = config_of(self.docs, s)
            self.assertEqual(cfg["runtime"]["query"], QUERY_CONFIG, comp)
            self.assertEqual(cfg["runtime"]["shutdown_grace"], "30s")
            mounts = [m["mountPath"] for m in container(s)["volumeMounts"]]
            for key in ("token_file", "tls_cert_file", "tls_key_file"):
                self.assertIn(str(pathlib.PurePosixPath(cfg["runtime"]["query"][key]).parent),
                              mounts)

    def test_named_query_port(self):
        for s in self.sts.values():
            self.assertEqual(container(s)["ports"], [
                {"name": "admin", "containerPort": 8080, "protocol": "TCP"},
                {"name": "query", "containerPort": 8443, "protocol": "TCP"}])
            # Probes stay on the admin port.
            self.assertEqual(container(s)["readinessProbe"]["httpGet"]["port"], "admin")

    def test_query_service_per_component_exposes_only_the_query_port(self):
        for comp, s in self.sts.items():
            name = s["metadata"]["name"]
            query = self.svcs[f"{name}-query"]
            self.assertEqual(component_of(query), comp)
            self.assertEqual(query["spec"]["ports"], [{"name": "https-query", "port": 8443,
                                                       "targetPort": "query", "protocol": "TCP"}])
            self.assertEqual(query["spec"]["selector"], s["spec"]["selector"]["matchLabels"])
            self.assertNotIn("baton.io/admin", query["metadata"]["labels"])  # not scraped
            for other in (name, s["spec"]["serviceName"]):
                self.assertEqual([p["targetPort"] for p in self.svcs[other]["spec"]["ports"]],
                                 ["admin"], other)
        self.assertEqual(len(self.svcs), 3 * len(COMPONENTS))

    def test_query_service_type_and_port(self):
        docs = render(*QUERIES, "--set", "queries.service.type=LoadBalancer",
                      "--set", "queries.service.port=443", "--set", "queries.port=9443")
        svc = next(s for s in by_kind(docs, "Service") if s["metadata"]["name"] == "baton-router-query")
        self.assertEqual(svc["spec"]["type"], "LoadBalancer")
        self.assertEqual(svc["spec"]["ports"][0]["port"], 443)
        sts = next(s for s in by_kind(docs, "StatefulSet") if component_of(s) == "router")
        self.assertEqual(container(sts)["ports"][1], {"name": "query", "containerPort": 9443,
                                                      "protocol": "TCP"})
        self.assertEqual(config_of(docs, sts)["runtime"]["query"]["port"], 9443)

    def test_network_policy_query_port_from_allowed_namespaces_only(self):
        nps = by_kind(self.docs, "NetworkPolicy")
        self.assertEqual(len(nps), len(COMPONENTS))
        for n in nps:
            self.assertEqual(ingress_by_port(n), {
                "admin": MONITORING_ONLY,
                "query": [{"namespaceSelector": {"matchExpressions": [{
                    "key": "kubernetes.io/metadata.name", "operator": "In",
                    "values": ["crm", "bi"]}]}}, own_pods(n)]})
            for rule in n["spec"]["ingress"]:
                self.assertTrue(rule.get("from"), "no rule may open a port to every pod")
                self.assertEqual(len(rule["ports"]), 1)

    def test_network_policy_query_namespace_selector(self):
        docs = render(*QUERIES, "--set", "networkPolicy.enabled=true",
                      "--set", "queries.networkPolicy.namespaceSelector.team=revops")
        for n in by_kind(docs, "NetworkPolicy"):
            self.assertEqual(ingress_by_port(n)["query"],
                             [{"namespaceSelector": {"matchLabels": {"team": "revops"}}},
                              own_pods(n)])

    def test_no_allowed_namespace_query_port_from_own_replicas_only(self):
        for n in by_kind(render(*QUERIES, "--set", "networkPolicy.enabled=true"), "NetworkPolicy"):
            self.assertEqual(ingress_by_port(n), {"admin": MONITORING_ONLY, "query": [own_pods(n)]})

    def test_replicas_advertise_their_pod_address_and_verify_each_other(self):
        for comp, s in self.sts.items():
            args = container(s)["args"]
            advertise = args[args.index("--query-advertise") + 1]
            self.assertEqual(advertise, f"$(POD_NAME).{s['spec']['serviceName']}"
                                        ".$(POD_NAMESPACE).svc:8443", comp)
        docs = render(*QUERIES, "--set", "queries.tls.caKey=")
        for s in by_kind(docs, "StatefulSet"):
            self.assertNotIn("peer_ca_file", config_of(docs, s)["runtime"]["query"])

    def test_config_keeps_the_other_runtime_query_keys(self):
        docs = render(*QUERIES, "--set", "commonConfig.runtime.query.token_reload_interval=10s",
                      "--set", "router.config.runtime.query.host=0.0.0.0",
                      "--set", "feedback.config.runtime.query.port=8443")
        cfgs = {component_of(s): config_of(docs, s) for s in by_kind(docs, "StatefulSet")}
        self.assertEqual(cfgs["router"]["runtime"]["query"],
                         {**QUERY_CONFIG, "host": "0.0.0.0", "token_reload_interval": "10s"})
        self.assertEqual(cfgs["feedback"]["runtime"]["query"],
                         {**QUERY_CONFIG, "token_reload_interval": "10s"})

    def test_config_change_rolls_the_pods(self):
        off = {component_of(s): s for s in by_kind(render(), "StatefulSet")}
        for comp, s in self.sts.items():
            self.assertNotEqual(s["spec"]["template"]["metadata"]["annotations"]["checksum/config"],
                                off[comp]["spec"]["template"]["metadata"]["annotations"]["checksum/config"])


class Schema(unittest.TestCase):
    """values.schema.json states each block once ($ref to its definitions)."""

    @classmethod
    def setUpClass(cls):
        cls.schema = json.loads((CHART / "values.schema.json").read_text())

    def test_components_are_one_definition(self):
        props = self.schema["properties"]
        for comp in ("router", "slaMonitor", "feedback"):
            self.assertEqual(props[comp], {"$ref": "#/definitions/component"}, comp)
        component = self.schema["definitions"]["component"]["properties"]
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            self.assertEqual(component[probe], {"$ref": "#/definitions/probe"}, probe)

    def test_kafka_principal_is_one_definition(self):
        ref = {"$ref": "#/definitions/kafkaPrincipal"}
        self.assertEqual(self.schema["definitions"]["component"]["properties"]["kafka"], ref)
        self.assertEqual(self.schema["properties"]["topics"]["properties"]["kafka"], ref)

    def test_no_repeated_block(self):
        # Any object of 8 or more lines (as formatted) appears once.
        seen = {}

        def walk(node, where):
            if isinstance(node, dict):
                if len(json.dumps(node, indent=2).splitlines()) >= 8:
                    key = json.dumps(node, sort_keys=True)
                    self.assertNotIn(key, seen, f"{where} repeats {seen.get(key)}: "
                                                "move it to definitions and $ref it")
                    seen[key] = where
                for k, v in node.items():
                    walk(v, f"{where}/{k}")
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{where}/{i}")
        walk(self.schema, "#")

    def test_every_ref_resolves(self):
        refs = re.findall(r'"\$ref": "#/definitions/([A-Za-z]+)"',
                          (CHART / "values.schema.json").read_text())
        self.assertTrue(refs)
        self.assertLessEqual(set(refs), set(self.schema["definitions"]))
        self.assertEqual(set(refs), set(self.schema["definitions"]), "unused definitions")


class ValuesRejected(unittest.TestCase):
    def assert_fails(self, args, message):
        out = helm_template(*args)
        self.assertNotEqual(out.returncode, 0, f"{args} rendered")
        self.assertIn(message, out.stderr)

    def test_schema_rejects_wrong_types(self):
        self.assert_fails(["--set", "router.replicaCount=abc"], "/router/replicaCount")
        self.assert_fails(["--set", "feedback.persistence.enabled=maybe"],
                          "/feedback/persistence/enabled")
        self.assert_fails(["--set", "kafka.securityProtocol=TLS"], "/kafka/securityProtocol")
        self.assert_fails(["--set", "slaMonitor.replicaCount=-1"], "/slaMonitor/replicaCount")

    def test_schema_rejects_unknown_keys(self):
        self.assert_fails(["--set", "router.replicas=3"], "replicas")
        self.assert_fails(["--set", "feedback.livenessProbe.path=/x"], "path")

    def test_shared_definitions_apply_to_every_component(self):
        # The component, probe, quantity and count-or-percent blocks are
        # written once in the schema and $ref'd: each component still gets them.
        for comp in ("router", "slaMonitor", "feedback"):
            self.assert_fails(["--set", f"{comp}.startupProbe.periodSeconds=0"],
                              f"/{comp}/startupProbe/periodSeconds")
            self.assert_fails(["--set", f"{comp}.persistence.size=lots"],
                              f"/{comp}/persistence/size")
            self.assert_fails(["--set", f"{comp}.pdb.maxUnavailable=x%"],
                              f"/{comp}/pdb/maxUnavailable")
        self.assert_fails(["--set-json", 'kafka.extraProperties={"acks": ["all"]}'],
                          "/kafka/extraProperties/acks")

    def test_helm_lint_names_the_bad_value(self):
        out = subprocess.run([helm_binary(), "lint", "--strict", str(CHART),
                              "--set", "slaMonitor.readinessProbe.timeoutSeconds=zero"],
                             capture_output=True, text=True, check=False)
        self.assertNotEqual(out.returncode, 0, out.stdout)
        self.assertIn("/slaMonitor/readinessProbe/timeoutSeconds", out.stdout + out.stderr)

    def test_queries_need_both_secrets(self):
        self.assert_fails(["--set", "queries.enabled=true",
                           "--set", "queries.tokens.existingSecret=query-tokens"],
                          "queries.tls.existingSecret")
        self.assert_fails(["--set", "queries.enabled=true",
                           "--set", "queries.tls.existingSecret=query-tls"],
                          "queries.tokens.existingSecret")
        self.assert_fails(["--set", "queries.enabled=true"], "queries.")

    def test_queries_values_checked(self):
        self.assert_fails([*QUERIES, "--set", "queries.port=8080"],
                          "queries.port must differ from the admin port 8080")
        self.assert_fails(["--set", "queries.port=0"], "/queries/port")
        self.assert_fails(["--set", "queries.tls.ca=ca.crt"], "ca")
        self.assert_fails(["--set", "queries.networkPolicy.allowedNamespaces={Bad_NS}"],
                          "/queries/networkPolicy/allowedNamespaces/0")
        self.assert_fails(["--set", "networkPolicy.metrics.namespaces={monitoring}"], "namespaces")

    def test_chart_owns_the_listener_keys(self):
        # The port and the files must match the container port and the mounts.
        self.assert_fails([*QUERIES, "--set", "router.config.runtime.query.port=9000"],
                          "router.config or commonConfig sets runtime.query.port")
        self.assert_fails([*QUERIES, "--set", "commonConfig.runtime.query.plaintext=true"],
                          "runtime.query.plaintext")
        self.assert_fails([*QUERIES, "--set", "slaMonitor.config.runtime.query.tls_key_file=/k"],
                          "runtime.query.tls_key_file")
        # A token file in the config without queries.enabled would not be mounted.
        self.assert_fails(["--set", "feedback.config.runtime.query.token_file=/t.yaml"],
                          "queries.enabled is false")

    def test_kafka_principal_values_checked(self):
        # The mechanism is shared: an own one is an unknown key.
        self.assert_fails(["--set", "router.kafka.sasl.mechanism=PLAIN"], "mechanism")
        self.assert_fails(["--set", "topics.kafka.sasl.username=1"], "/topics/kafka/sasl/username")
        self.assert_fails(["--set", "feedback.kafka.user=x"], "user")
        # An own principal with SASL off would be ignored: the render fails instead.
        self.assert_fails(["--set", "slaMonitor.kafka.sasl.existingSecret=baton-sla-monitor"],
                          "slaMonitor.kafka.sasl.* is set but kafka.sasl.mechanism is empty")
        self.assert_fails(["--set", "topics.create=true", "--set", "topics.kafka.sasl.username=t"],
                          "topics.kafka.sasl.* is set but kafka.sasl.mechanism is empty")

    def test_grace_must_exceed_shutdown_grace(self):
        self.assert_fails(["--set", "router.terminationGracePeriodSeconds=30"],
                          "must be above runtime.shutdown_grace")
        self.assert_fails(["--set", "commonConfig.runtime.shutdown_grace=2m"],
                          "must be above runtime.shutdown_grace (120s)")


if __name__ == "__main__":
    os.chdir(ROOT)
    unittest.main(verbosity=2)
