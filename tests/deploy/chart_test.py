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
        cm = next(c for c in by_kind(self.docs, "ConfigMap")
                  if c["metadata"]["name"] == self.sts["router"]["metadata"]["name"])
        cfg = yaml.safe_load(cm["data"]["config.yaml"])
        self.assertEqual(cfg, {"runtime": {"shutdown_grace": "45s"},
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
        egress_ports = {p["port"] for rule in spec["egress"] for p in rule["ports"]}
        self.assertEqual(egress_ports, {53, 9092, 9093})

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

    def test_grace_must_exceed_shutdown_grace(self):
        self.assert_fails(["--set", "router.terminationGracePeriodSeconds=30"],
                          "must be above runtime.shutdown_grace")
        self.assert_fails(["--set", "commonConfig.runtime.shutdown_grace=2m"],
                          "must be above runtime.shutdown_grace (120s)")


if __name__ == "__main__":
    os.chdir(ROOT)
    unittest.main(verbosity=2)
