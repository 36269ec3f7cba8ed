{{/* vim: set filetype=mustache: */}}
{{/*
Chart name, truncated to 63 characters (DNS label).
*/}}
{{- define "baton.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Release fullname: <release>-<chart> unless the release already contains the chart name.
*/}}
{{- define "baton.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "baton.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "baton.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The three components: values key, component name (labels, object names,
metrics' service label) and binary.
*/}}
{{- define "baton.components" -}}
- key: router
  name: router
  binary: baton-router
- key: slaMonitor
  name: sla-monitor
  binary: baton-sla-monitor
- key: feedback
  name: feedback
  binary: baton-feedback
{{- end -}}

{{/*
Labels on every object (Kubernetes recommended labels).
*/}}
{{- define "baton.labels" -}}
helm.sh/chart: {{ include "baton.chart" . }}
{{ include "baton.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: baton
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "baton.selectorLabels" -}}
app.kubernetes.io/name: {{ include "baton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Per-component helpers take (dict "root" $ "comp" $comp "values" $v).
*/}}
{{- define "baton.componentFullname" -}}
{{- printf "%s-%s" (include "baton.fullname" .root | trunc 50 | trimSuffix "-") .comp.name -}}
{{- end -}}

{{- define "baton.componentLabels" -}}
{{ include "baton.labels" .root }}
app.kubernetes.io/component: {{ .comp.name }}
{{- end -}}

{{- define "baton.componentSelectorLabels" -}}
{{ include "baton.selectorLabels" .root }}
app.kubernetes.io/component: {{ .comp.name }}
{{- end -}}

{{- define "baton.commonAnnotations" -}}
{{- with .Values.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "baton.image" -}}
{{- $registry := default .Values.image.registry .Values.global.imageRegistry -}}
{{- $repo := .Values.image.repository -}}
{{- if $registry -}}{{- $repo = printf "%s/%s" $registry $repo -}}{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .Chart.AppVersion .Values.image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{- define "baton.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "baton.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "baton.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The service's config file: commonConfig with the component's config merged
over it. With queries.enabled the chart owns runtime.query's port, files and
plaintext (they must match the mounted Secrets and the container port): a
config that sets one of them to another value fails the render; the other
runtime.query keys (host, token_reload_interval) are left to the config.
*/}}
{{- define "baton.configYaml" -}}
{{- $comp := .comp -}}
{{- $q := .root.Values.queries -}}
{{- $merged := mustMergeOverwrite (deepCopy .root.Values.commonConfig) (deepCopy .values.config) -}}
{{- $runtime := get $merged "runtime" -}}
{{- if not (kindIs "map" $runtime) }}{{ $runtime = dict }}{{ end -}}
{{- $user := get $runtime "query" -}}
{{- if not (kindIs "map" $user) }}{{ $user = dict }}{{ end -}}
{{- if $q.enabled -}}
{{- $owned := include "baton.queryConfig" .root | fromYaml -}}
{{- range $k, $val := $owned -}}
{{- if and (hasKey $user $k) (ne (toString (get $user $k)) (toString $val)) -}}
{{- fail (printf "%s.config or commonConfig sets runtime.query.%s to %v: with queries.enabled the chart sets it to %v (from queries.*); remove it from the config" $comp.key $k (get $user $k) $val) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $runtime "query" (mustMergeOverwrite $user $owned) -}}
{{- $_ := set $merged "runtime" $runtime -}}
{{- else if get $user "token_file" -}}
{{- fail (printf "%s.config or commonConfig sets runtime.query.token_file but queries.enabled is false: set queries.enabled and queries.tokens/tls.existingSecret instead (the chart mounts the Secrets and opens the port)" $comp.key) -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end -}}

{{/*
Query listener: the Secrets' mount points and the runtime.query keys the chart sets.
*/}}
{{- define "baton.queryTokensDir" -}}/etc/baton/query/tokens{{- end -}}
{{- define "baton.queryTlsDir" -}}/etc/baton/query/tls{{- end -}}

{{- define "baton.queryConfig" -}}
port: {{ int .Values.queries.port }}
token_file: {{ printf "%s/%s" (include "baton.queryTokensDir" .) .Values.queries.tokens.key | quote }}
tls_cert_file: {{ printf "%s/tls.crt" (include "baton.queryTlsDir" .) | quote }}
tls_key_file: {{ printf "%s/tls.key" (include "baton.queryTlsDir" .) | quote }}
{{- with .Values.queries.tls.caKey }}
peer_ca_file: {{ printf "%s/%s" (include "baton.queryTlsDir" $) . | quote }}
{{- end }}
plaintext: false
{{- end -}}

{{/*
Fails the render on an incomplete query listener: TLS is mandatory in the chart.
*/}}
{{- define "baton.checkQueries" -}}
{{- $q := .Values.queries -}}
{{- if $q.enabled -}}
{{- if not $q.tokens.existingSecret -}}
{{- fail "queries.enabled requires queries.tokens.existingSecret: an existing Secret holding the tokens file under queries.tokens.key (see the chart README, Queries)" -}}
{{- end -}}
{{- if not $q.tls.existingSecret -}}
{{- fail "queries.enabled requires queries.tls.existingSecret: an existing kubernetes.io/tls Secret (tls.crt, tls.key); the chart serves queries over TLS only (see the chart README, Queries)" -}}
{{- end -}}
{{- if eq (int $q.port) 8080 -}}
{{- fail "queries.port must differ from the admin port 8080" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "baton.queryVolumes" -}}
{{- if .Values.queries.enabled }}
- name: query-tokens
  secret:
    secretName: {{ .Values.queries.tokens.existingSecret }}
    items:
      - key: {{ .Values.queries.tokens.key }}
        path: {{ .Values.queries.tokens.key }}
- name: query-tls
  secret:
    secretName: {{ .Values.queries.tls.existingSecret }}
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      {{- with .Values.queries.tls.caKey }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
{{- end -}}

{{/*
Whole-directory mounts (no subPath): the kubelet updates them in place when the
Secret changes, and the service re-reads the tokens file.
*/}}
{{- define "baton.queryMounts" -}}
{{- if .Values.queries.enabled }}
- name: query-tokens
  mountPath: {{ include "baton.queryTokensDir" . }}
  readOnly: true
- name: query-tls
  mountPath: {{ include "baton.queryTlsDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{/*
NetworkPolicyPeer list from (dict "allowedNamespaces" [...] "namespaceSelector" {...}):
empty when both are empty.
*/}}
{{- define "baton.namespacePeers" -}}
{{- with .allowedNamespaces }}
- namespaceSelector:
    matchExpressions:
      - key: kubernetes.io/metadata.name
        operator: In
        values:
          {{- toYaml . | nindent 10 }}
{{- end }}
{{- with .namespaceSelector }}
- namespaceSelector:
    matchLabels:
      {{- toYaml . | nindent 6 }}
{{- end }}
{{- end -}}

{{/*
Seconds in a runtime duration ("250ms", "30s", "5m", "2h", or a bare number
of seconds), rounded up.
*/}}
{{- define "baton.durationSeconds" -}}
{{- $d := toString . | trim -}}
{{- if regexMatch "^[0-9]+(\\.[0-9]+)?$" $d -}}
{{- ceil (float64 $d) | int -}}
{{- else if hasSuffix "ms" $d -}}
{{- ceil (divf (float64 (trimSuffix "ms" $d)) 1000) | int -}}
{{- else if hasSuffix "s" $d -}}
{{- ceil (float64 (trimSuffix "s" $d)) | int -}}
{{- else if hasSuffix "m" $d -}}
{{- mul (float64 (trimSuffix "m" $d)) 60 | ceil | int -}}
{{- else if hasSuffix "h" $d -}}
{{- mul (float64 (trimSuffix "h" $d)) 3600 | ceil | int -}}
{{- else -}}
{{- fail (printf "runtime.shutdown_grace: cannot read duration %q (use e.g. 30s)" $d) -}}
{{- end -}}
{{- end -}}

{{/*
Fails the render when a pod would be killed before the runtime's shutdown grace ends.
*/}}
{{- define "baton.checkGrace" -}}
{{- $cfg := mustMergeOverwrite (deepCopy .root.Values.commonConfig) (deepCopy .values.config) -}}
{{- $grace := 30 -}}
{{- if and (hasKey $cfg "runtime") (hasKey $cfg.runtime "shutdown_grace") -}}
{{- $grace = include "baton.durationSeconds" $cfg.runtime.shutdown_grace | int -}}
{{- end -}}
{{- if le (int .values.terminationGracePeriodSeconds) $grace -}}
{{- fail (printf "%s.terminationGracePeriodSeconds (%d) must be above runtime.shutdown_grace (%ds)" .comp.key (int .values.terminationGracePeriodSeconds) $grace) -}}
{{- end -}}
{{- end -}}

{{/*
SASL credentials of one workload, from (dict "root" $ "override" <its
kafka.sasl block> "where" "<values path of that block>"): the component's or
the topics Job's own principal, each empty field falling back to the shared
kafka.sasl. The one exception: an own existingSecret without an own username
reads the username from that Secret, never the shared clear `username` (that
would pair another principal's name with this password). Returns YAML:
mechanism, existingSecret, usernameKey, passwordKey, username.
*/}}
{{- define "baton.kafkaSasl" -}}
{{- $shared := .root.Values.kafka.sasl -}}
{{- $own := .override -}}
{{- if not (kindIs "map" $own) }}{{ $own = dict }}{{ end -}}
{{- $ownSecret := get $own "existingSecret" | default "" -}}
{{- $ownUser := get $own "username" | default "" -}}
{{- if and (or $ownSecret $ownUser (get $own "usernameKey") (get $own "passwordKey")) (not $shared.mechanism) -}}
{{- fail (printf "%s.* is set but kafka.sasl.mechanism is empty (SASL off): set kafka.sasl.mechanism (shared by every component) or remove %s" .where .where) -}}
{{- end -}}
{{- $username := $shared.username -}}
{{- if $ownUser -}}
{{- $username = $ownUser -}}
{{- else if $ownSecret -}}
{{- $username = "" -}}
{{- end -}}
mechanism: {{ $shared.mechanism | default "" | quote }}
existingSecret: {{ $ownSecret | default $shared.existingSecret | default "" | quote }}
usernameKey: {{ get $own "usernameKey" | default $shared.usernameKey | quote }}
passwordKey: {{ get $own "passwordKey" | default $shared.passwordKey | quote }}
username: {{ $username | default "" | quote }}
{{- end -}}

{{/*
Kafka environment: BATON_KAFKA_<PROPERTY_UPPER_UNDERSCORE>. Takes the same
dict as baton.kafkaSasl (the SASL credentials are the workload's own).
*/}}
{{- define "baton.kafkaEnv" -}}
{{- $k := .root.Values.kafka -}}
{{- $sasl := include "baton.kafkaSasl" . | fromYaml -}}
- name: BATON_KAFKA_BOOTSTRAP_SERVERS
  value: {{ $k.bootstrapServers | quote }}
- name: BATON_KAFKA_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
{{- if $sasl.mechanism }}
- name: BATON_KAFKA_SASL_MECHANISM
  value: {{ $sasl.mechanism | quote }}
{{- if $sasl.username }}
- name: BATON_KAFKA_SASL_USERNAME
  value: {{ $sasl.username | quote }}
{{- else if $sasl.existingSecret }}
- name: BATON_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.existingSecret }}
      key: {{ $sasl.usernameKey }}
{{- end }}
{{- if $sasl.existingSecret }}
- name: BATON_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.existingSecret }}
      key: {{ $sasl.passwordKey }}
{{- end }}
{{- end }}
{{- if $k.tls.existingSecret }}
- name: BATON_KAFKA_SSL_CA_LOCATION
  value: {{ printf "/etc/baton/kafka-tls/%s" $k.tls.caKey | quote }}
{{- end }}
{{- range $prop, $val := $k.extraProperties }}
- name: {{ printf "BATON_KAFKA_%s" ($prop | upper | replace "." "_" | replace "-" "_") }}
  value: {{ $val | toString | quote }}
{{- end }}
{{- end -}}

{{- define "baton.kafkaTlsVolume" -}}
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.existingSecret }}
    items:
      - key: {{ .Values.kafka.tls.caKey }}
        path: {{ .Values.kafka.tls.caKey }}
{{- end }}
{{- end -}}

{{- define "baton.kafkaTlsMount" -}}
{{- if .Values.kafka.tls.existingSecret }}
- name: kafka-tls
  mountPath: /etc/baton/kafka-tls
  readOnly: true
{{- end }}
{{- end -}}

{{- define "baton.probe" -}}
{{- $p := .probe -}}
httpGet:
  path: {{ .path }}
  port: admin
initialDelaySeconds: {{ $p.initialDelaySeconds }}
periodSeconds: {{ $p.periodSeconds }}
timeoutSeconds: {{ $p.timeoutSeconds }}
failureThreshold: {{ $p.failureThreshold }}
successThreshold: {{ $p.successThreshold }}
{{- end -}}
