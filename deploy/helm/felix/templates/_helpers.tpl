{{/*
Shared names, labels and the pieces of the pod that the StatefulSet and the Deployment have in
common. Templates stay short; anything computed lives here.
*/}}

{{- define "felix.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name; the release name alone when it already contains the chart name. */}}
{{- define "felix.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* 63 characters minus "-headless" keeps the Service name a valid DNS label. */}}
{{- define "felix.headlessName" -}}
{{- printf "%s-headless" (include "felix.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "felix.selectorLabels" -}}
app.kubernetes.io/name: {{ include "felix.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "felix.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "felix.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: broker
app.kubernetes.io/part-of: felix
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "felix.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "felix.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "felix.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Secret holding tls.crt/tls.key: the one cert-manager fills, or the user's. */}}
{{- define "felix.tlsSecretName" -}}
{{- if .Values.tls.certManager.enabled }}
{{- printf "%s-tls" (include "felix.fullname" .) }}
{{- else }}
{{- .Values.tls.secretName }}
{{- end }}
{{- end }}

{{/* Paths inside the container; the env below points the broker at them. */}}
{{- define "felix.configFile" -}}/etc/felix/config/felix.yaml{{- end }}
{{- define "felix.tlsDir" -}}/etc/felix/tls{{- end }}
{{- define "felix.clientCaDir" -}}/etc/felix/client-ca{{- end }}

{{/*
Environment variables the chart owns because ports, mounts and probes depend on them. The schema
rejects these names in .Values.env, so there is exactly one source for each.
*/}}
{{- define "felix.managedEnvNames" -}}
FELIX_CONFIG_FILE FELIX_QUIC_BIND FELIX_HTTP_BIND FELIX_DATA_DIR FELIX_TLS_CERT FELIX_TLS_KEY
{{- end }}

{{/*
resources.limits.memory in MiB, or 0 when no limit is set. Kubernetes quantities: plain bytes,
binary (Ki Mi Gi Ti) or decimal (k M G T) suffixes; the schema rejects any other form.
*/}}
{{- define "felix.memoryLimitMiB" -}}
{{- $raw := "" }}
{{- with .Values.resources }}{{ with .limits }}{{ with .memory }}{{ $raw = toString . }}{{ end }}{{ end }}{{ end }}
{{- if not $raw }}
{{- 0 }}
{{- else }}
{{- $number := regexFind "^[0-9]+" $raw | int64 }}
{{- $unit := regexFind "[A-Za-z]+$" $raw }}
{{- $factor := get (dict "" 1 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000) $unit }}
{{- div (mul $number $factor) 1048576 }}
{{- end }}
{{- end }}

{{/*
JVM flags: heap and direct memory as shares of the memory limit, in MiB, so `kubectl describe`
shows the real sizes. Without a limit the JVM falls back to a share of the node's memory.
*/}}
{{- define "felix.jvmOptions" -}}
{{- $limit := include "felix.memoryLimitMiB" . | int64 }}
{{- $flags := list }}
{{- if gt $limit 0 }}
{{- $heap := div (mul $limit (int64 .Values.jvm.heapPercent)) 100 }}
{{- $direct := div (mul $limit (int64 .Values.jvm.directMemoryPercent)) 100 }}
{{- $flags = append $flags (printf "-Xms%dm -Xmx%dm -XX:MaxDirectMemorySize=%dm" $heap $heap $direct) }}
{{- else }}
{{- $flags = append $flags (printf "-XX:MaxRAMPercentage=%d.0" (int64 .Values.jvm.heapPercent)) }}
{{- end }}
{{- $flags = append $flags "-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError" }}
{{- with .Values.jvm.extraOptions }}{{ $flags = append $flags . }}{{ end }}
{{- join " " $flags }}
{{- end }}

{{/*
The drain bound the broker will use: env wins over config, config over the default (10000 ms),
the same precedence as the broker's.
*/}}
{{- define "felix.drainTimeoutMs" -}}
{{- $drain := 10000 }}
{{- with .Values.config }}{{ with .shutdown }}{{ if hasKey . "drain_timeout_ms" }}{{ $drain = .drain_timeout_ms }}{{ end }}{{ end }}{{ end }}
{{- if hasKey .Values.env "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS" }}{{ $drain = get .Values.env "FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS" }}{{ end }}
{{- $drain | int64 }}
{{- end }}

{{/*
Install-time checks that JSON schema cannot express across keys. Each failure names the values
to change.
*/}}
{{- define "felix.validate" -}}
{{- $drainMs := include "felix.drainTimeoutMs" . | int64 }}
{{- $graceMs := mul (int64 .Values.terminationGracePeriodSeconds) 1000 }}
{{- if le $graceMs (add $drainMs 5000) }}
{{- fail (printf "terminationGracePeriodSeconds (%d s) must exceed the drain timeout (%d ms) by at least 5 s, or Kubernetes kills the broker while it drains" (int64 .Values.terminationGracePeriodSeconds) $drainMs) }}
{{- end }}
{{- if and (eq .Values.workload.kind "Deployment") .Values.persistence.enabled }}
{{- fail "workload.kind=Deployment needs persistence.enabled=false: a Deployment has no per-pod volume" }}
{{- end }}
{{- if and .Values.tls.enabled (not .Values.tls.certManager.enabled) (not .Values.tls.secretName) }}
{{- fail "tls.enabled needs tls.secretName (a kubernetes.io/tls Secret) or tls.certManager.enabled=true" }}
{{- end }}
{{- if and .Values.tls.certManager.enabled (not .Values.tls.certManager.issuerRef.name) }}
{{- fail "tls.certManager.enabled needs tls.certManager.issuerRef.name" }}
{{- end }}
{{- if and .Values.auth.enabled (not .Values.auth.jwt.jwksUrl) (eq .Values.auth.mtls.mode "none") }}
{{- fail "auth.enabled needs auth.jwt.jwksUrl or auth.mtls.mode request/require" }}
{{- end }}
{{- if and (ne .Values.auth.mtls.mode "none") (not .Values.tls.enabled) }}
{{- fail "auth.mtls.mode other than none needs tls.enabled=true: client certificates are checked against the configured server TLS" }}
{{- end }}
{{- if and (ne .Values.auth.mtls.mode "none") (not .Values.auth.mtls.clientCaSecret) }}
{{- fail "auth.mtls.mode other than none needs auth.mtls.clientCaSecret (a Secret with ca.crt)" }}
{{- end }}
{{- end }}

{{/* Renders one env value: strings as they are, numbers and booleans without float notation. */}}
{{- define "felix.envValue" -}}
{{- if kindIs "string" . }}{{ . | quote }}{{ else }}{{ toJson . | quote }}{{ end }}
{{- end }}

{{/* The broker container's environment. */}}
{{- define "felix.env" -}}
- name: FELIX_CONFIG_FILE
  value: {{ include "felix.configFile" . | quote }}
- name: FELIX_QUIC_BIND
  value: {{ printf "0.0.0.0:%d" (int64 .Values.ports.quic) | quote }}
- name: FELIX_HTTP_BIND
  value: {{ printf "0.0.0.0:%d" (int64 .Values.ports.http) | quote }}
- name: FELIX_DATA_DIR
  value: {{ .Values.dataDir | quote }}
{{- if .Values.tls.enabled }}
- name: FELIX_TLS_CERT
  value: {{ printf "%s/tls.crt" (include "felix.tlsDir" .) | quote }}
- name: FELIX_TLS_KEY
  value: {{ printf "%s/tls.key" (include "felix.tlsDir" .) | quote }}
{{- end }}
{{- if .Values.auth.enabled }}
- name: FELIX_AUTH_ENABLED
  value: "true"
{{- with .Values.auth.jwt.jwksUrl }}
- name: FELIX_AUTH_JWT_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.jwt.issuer }}
- name: FELIX_AUTH_JWT_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.jwt.audience }}
- name: FELIX_AUTH_JWT_AUDIENCE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if ne .Values.auth.mtls.mode "none" }}
- name: FELIX_TLS_CLIENT_AUTH
  value: {{ .Values.auth.mtls.mode | quote }}
- name: FELIX_TLS_CLIENT_CA
  value: {{ printf "%s/ca.crt" (include "felix.clientCaDir" .) | quote }}
{{- end }}
- name: JDK_JAVA_OPTIONS
  value: {{ include "felix.jvmOptions" . | quote }}
{{- range $name := keys .Values.env | sortAlpha }}
- name: {{ $name }}
  value: {{ include "felix.envValue" (get $.Values.env $name) }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The pod template shared by the StatefulSet and the Deployment. The checksum annotation restarts
pods when the rendered felix.yaml changes, because the broker reads it only at start.
*/}}
{{- define "felix.podTemplate" -}}
metadata:
  labels:
    {{- include "felix.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "felix.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  containers:
    - name: felix
      image: {{ include "felix.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      args: ["server"]
      ports:
        - name: quic
          containerPort: {{ .Values.ports.quic }}
          protocol: UDP
        - name: http
          containerPort: {{ .Values.ports.http }}
          protocol: TCP
      env:
        {{- include "felix.env" . | nindent 8 }}
      {{- with .Values.envFrom }}
      envFrom:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /ready
          port: http
        {{- toYaml .Values.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /live
          port: http
        {{- toYaml .Values.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /ready
          port: http
        {{- toYaml .Values.probes.readiness | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: data
          mountPath: {{ .Values.dataDir }}
        - name: config
          mountPath: {{ include "felix.configFile" . | dir }}
          readOnly: true
        {{- /* The root filesystem is read-only; Netty unpacks its QUIC native library to /tmp. */}}
        - name: tmp
          mountPath: /tmp
        {{- if .Values.tls.enabled }}
        - name: tls
          mountPath: {{ include "felix.tlsDir" . }}
          readOnly: true
        {{- end }}
        {{- if ne .Values.auth.mtls.mode "none" }}
        - name: client-ca
          mountPath: {{ include "felix.clientCaDir" . }}
          readOnly: true
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "felix.fullname" . }}
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if not .Values.persistence.enabled }}
    - name: data
      emptyDir:
        sizeLimit: {{ .Values.persistence.emptyDirSizeLimit }}
    {{- end }}
    {{- if .Values.tls.enabled }}
    - name: tls
      secret:
        secretName: {{ include "felix.tlsSecretName" . }}
        defaultMode: 0440
    {{- end }}
    {{- if ne .Values.auth.mtls.mode "none" }}
    - name: client-ca
      secret:
        secretName: {{ .Values.auth.mtls.clientCaSecret }}
        defaultMode: 0444
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
