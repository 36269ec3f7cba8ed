#!/usr/bin/env bash
# Chart checks: helm lint (default and everything-enabled values), then
# helm template validated offline by kubeconform against the Kubernetes
# schemas (oldest supported and a recent version) and the Prometheus Operator
# CRD schemas in tests/deploy/schemas/. Tools come from scripts/deploy-tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
eval "$("$ROOT/scripts/deploy-tools" --print-env)"
CHART="$ROOT/deploy/helm/baton"
ALL="$ROOT/tests/deploy/values-all.yaml"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail=0
check() { # name, command...
  local name="$1"
  shift
  if "$@" >"$WORK/out" 2>&1; then
    echo "ok   $name"
  else
    echo "FAIL $name"
    sed 's/^/     /' "$WORK/out"
    fail=1
  fi
}

check "helm lint (default values)" helm lint --strict "$CHART"
check "helm lint (everything enabled)" helm lint --strict "$CHART" -f "$ALL"

KUBECONFORM=(kubeconform -strict -summary
  -schema-location "$BATON_K8S_SCHEMAS/{{ .NormalizedKubernetesVersion }}-local-strict/{{ .ResourceKind }}{{ .KindSuffix }}.json"
  -schema-location "$ROOT/tests/deploy/schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json")

for k8s in 1.25.0 1.33.0; do
  check "helm template default (k8s $k8s)" helm template baton "$CHART" --kube-version "$k8s" \
    --namespace sales --output-dir "$WORK/default-$k8s"
  check "kubeconform default (k8s $k8s)" "${KUBECONFORM[@]}" -kubernetes-version "$k8s" "$WORK/default-$k8s"
  check "helm template everything enabled (k8s $k8s)" helm template baton "$CHART" -f "$ALL" \
    --kube-version "$k8s" --namespace sales --output-dir "$WORK/all-$k8s"
  check "kubeconform everything enabled (k8s $k8s)" "${KUBECONFORM[@]}" -kubernetes-version "$k8s" "$WORK/all-$k8s"
done

# The validator must reject what the API server would: a wrong type in a
# StatefulSet and an unknown field in a PrometheusRule.
cat >"$WORK/bad-sts.yaml" <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: bad}
spec:
  replicas: two
  serviceName: bad
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec: {containers: [{name: c, image: i}]}
YAML
cat >"$WORK/bad-rule.yaml" <<'YAML'
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: bad}
spec:
  groups:
    - name: g
      rules:
        - alert: A
          expr: up == 0
          severity: critical
YAML
check "kubeconform rejects a bad StatefulSet" bash -c '"$@" | grep -q "is invalid"' _ "${KUBECONFORM[@]}" -kubernetes-version 1.33.0 "$WORK/bad-sts.yaml"
check "kubeconform rejects a bad PrometheusRule" bash -c '"$@" | grep -q "is invalid"' _ "${KUBECONFORM[@]}" -kubernetes-version 1.33.0 "$WORK/bad-rule.yaml"

if [[ $fail -ne 0 ]]; then
  echo "chart checks failed"
  exit 1
fi
echo "chart checks passed"
