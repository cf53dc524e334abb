// Validates the manifests `helm template` rendered for one set of values:
//  1. every object against its Kubernetes (or CRD) schema, through the kubernetes-models package;
//  2. the chart's own promises that a schema cannot see (probes, ports, security context, JVM
//     sizing, drain bound, selectors, metric names);
//  3. the expectations written in the header of the values file (`# expect-kinds:`, ...).
// Usage: node validate-manifests.js RENDERED.yaml VALUES.yaml|- REPO_ROOT
// Exits 1 with one line per problem. Node modules come from NODE_PATH (the tool cache).
"use strict";

const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const { collectMetricNames, PLANNED_METRICS } = require("./metric-names.js");

const MODELS = {
  "v1/ConfigMap": ["kubernetes-models/v1", "ConfigMap"],
  "v1/Service": ["kubernetes-models/v1", "Service"],
  "v1/ServiceAccount": ["kubernetes-models/v1", "ServiceAccount"],
  "apps/v1/StatefulSet": ["kubernetes-models/apps/v1", "StatefulSet"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1", "Deployment"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1", "PodDisruptionBudget"],
  "cert-manager.io/v1/Certificate": ["@kubernetes-models/cert-manager/cert-manager.io/v1", "Certificate"],
  "monitoring.coreos.com/v1/ServiceMonitor": [
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
    "ServiceMonitor",
  ],
  "monitoring.coreos.com/v1/PrometheusRule": [
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
    "PrometheusRule",
  ],
};
const REQUIRED_LABELS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/managed-by",
  "helm.sh/chart",
];
// The dashboard must show each area the operations issue asks for; one metric stands for each.
const DASHBOARD_AREAS = {
  throughput: "felix_publish_records_total",
  latency: "felix_publish_to_deliver_seconds_bucket",
  drops: "felix_broker_dropped_records_total",
  lag: "felix_broker_send_queue_bytes",
  "cache hit rate": "felix_cache_hits_total",
  storage: "kubelet_volume_stats_used_bytes",
  errors: "felix_errors_total",
};
const DEFAULT_DRAIN_MS = 10000;

const problems = [];
const problem = (where, text) => problems.push(`${where}: ${text}`);

function main() {
  const [renderedFile, valuesFile, repoRoot] = process.argv.slice(2);
  const objects = yaml
    .loadAll(fs.readFileSync(renderedFile, "utf8"))
    .filter((o) => o !== null && o !== undefined);
  const expectations = valuesFile === "-" ? {} : readExpectations(valuesFile);
  const knownMetrics = collectMetricNames(repoRoot);

  for (const object of objects) {
    validateSchema(object);
    checkMetadata(object);
  }
  const workloads = objects.filter((o) => o.kind === "StatefulSet" || o.kind === "Deployment");
  if (workloads.length !== 1) {
    problem("chart", `expected exactly one StatefulSet or Deployment, found ${workloads.length}`);
  } else {
    checkWorkload(workloads[0], objects);
  }
  checkServices(objects, workloads[0]);
  checkMonitoring(objects, knownMetrics);
  checkExpectations(objects, workloads[0], expectations);

  if (problems.length > 0) {
    for (const line of problems) console.error(`  ${path.basename(renderedFile)}: ${line}`);
    process.exit(1);
  }
  console.log(`  ${path.basename(renderedFile)}: ${objects.length} objects valid`);
}

function name(o) {
  return `${o.kind}/${o.metadata && o.metadata.name}`;
}

function validateSchema(object) {
  const key = `${object.apiVersion}/${object.kind}`;
  const model = MODELS[key];
  if (!model) {
    // A new kind in the chart must be registered here, so it is validated too.
    problem(name(object), `no schema registered for ${key} in validate-manifests.js`);
    return;
  }
  const Model = require(model[0])[model[1]];
  try {
    new Model(object).validate();
  } catch (e) {
    problem(name(object), `schema: ${e.message}`);
  }
}

function checkMetadata(object) {
  const labels = (object.metadata && object.metadata.labels) || {};
  for (const label of REQUIRED_LABELS) {
    if (!labels[label]) problem(name(object), `label ${label} missing`);
  }
  if (object.metadata.name.length > 63) problem(name(object), "name longer than 63 characters");
}

function container(workload) {
  return workload.spec.template.spec.containers.find((c) => c.name === "felix");
}

function envMap(c) {
  const env = {};
  for (const e of c.env || []) {
    if (e.name in env) problem("container felix", `env ${e.name} set twice`);
    env[e.name] = e.value !== undefined ? e.value : "(valueFrom)";
  }
  return env;
}

function bindPort(value) {
  return value ? Number(String(value).split(":").pop()) : NaN;
}

function mebibytes(quantity) {
  const m = /^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(quantity));
  if (!m) return NaN;
  const factor = { undefined: 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.floor((Number(m[1]) * factor[m[2]]) / 2 ** 20);
}

function configFile(objects) {
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.data && "felix.yaml" in o.data);
  if (!cm) {
    problem("chart", "no ConfigMap with felix.yaml");
    return {};
  }
  const parsed = yaml.load(cm.data["felix.yaml"]);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    problem(name(cm), "felix.yaml is not a YAML mapping");
    return {};
  }
  return parsed;
}

function checkWorkload(workload, objects) {
  const where = name(workload);
  const pod = workload.spec.template.spec;
  const c = container(workload);
  if (!c) return problem(where, "no container named felix");
  const env = envMap(c);
  const ports = Object.fromEntries((c.ports || []).map((p) => [p.name, p]));

  // Ports: QUIC over UDP, HTTP over TCP, and the broker binds exactly those.
  if (!ports.quic || ports.quic.protocol !== "UDP") problem(where, "port quic must be UDP");
  if (!ports.http || ports.http.protocol !== "TCP") problem(where, "port http must be TCP");
  if (ports.quic && bindPort(env.FELIX_QUIC_BIND) !== ports.quic.containerPort)
    problem(where, `FELIX_QUIC_BIND ${env.FELIX_QUIC_BIND} differs from containerPort quic`);
  if (ports.http && bindPort(env.FELIX_HTTP_BIND) !== ports.http.containerPort)
    problem(where, `FELIX_HTTP_BIND ${env.FELIX_HTTP_BIND} differs from containerPort http`);

  // Probes on the documented endpoints.
  const probePath = (p) => p && p.httpGet && p.httpGet.path;
  if (probePath(c.livenessProbe) !== "/live") problem(where, "liveness probe must GET /live");
  if (probePath(c.readinessProbe) !== "/ready") problem(where, "readiness probe must GET /ready");
  if (!c.startupProbe) problem(where, "startup probe missing");
  for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (p && p.httpGet && p.httpGet.port !== "http") problem(where, "probes must use the http port");
  }

  // Security: non-root, read-only root filesystem, no capabilities, no escalation.
  const psc = pod.securityContext || {};
  const sc = c.securityContext || {};
  if (psc.runAsNonRoot !== true && sc.runAsNonRoot !== true) problem(where, "runAsNonRoot must be true");
  if (sc.readOnlyRootFilesystem !== true) problem(where, "readOnlyRootFilesystem must be true");
  if (sc.allowPrivilegeEscalation !== false) problem(where, "allowPrivilegeEscalation must be false");
  if (!(sc.capabilities && (sc.capabilities.drop || []).includes("ALL")))
    problem(where, "capabilities must drop ALL");

  // Volumes: each mount has a source; data dir and /tmp are writable.
  const volumes = new Set((pod.volumes || []).map((v) => v.name));
  for (const t of (workload.spec.volumeClaimTemplates || [])) volumes.add(t.metadata.name);
  const mounts = Object.fromEntries((c.volumeMounts || []).map((m) => [m.mountPath, m]));
  for (const m of c.volumeMounts || []) {
    if (!volumes.has(m.name)) problem(where, `volumeMount ${m.name} has no volume`);
  }
  if (!mounts[env.FELIX_DATA_DIR] || mounts[env.FELIX_DATA_DIR].readOnly)
    problem(where, `FELIX_DATA_DIR ${env.FELIX_DATA_DIR} is not a writable mount`);
  if (!mounts["/tmp"] || mounts["/tmp"].readOnly)
    problem(where, "/tmp must be a writable mount (QUIC native library)");
  const configPath = env.FELIX_CONFIG_FILE || "";
  if (!mounts[path.posix.dirname(configPath)]) problem(where, `FELIX_CONFIG_FILE ${configPath} not mounted`);
  for (const file of [env.FELIX_TLS_CERT, env.FELIX_TLS_KEY, env.FELIX_TLS_CLIENT_CA]) {
    if (file && !mounts[path.posix.dirname(file)]) problem(where, `${file} is not on a mounted volume`);
  }
  if (("FELIX_TLS_CERT" in env) !== ("FELIX_TLS_KEY" in env))
    problem(where, "FELIX_TLS_CERT and FELIX_TLS_KEY must be set together");

  // Persistence: a StatefulSet with a claim template, or an emptyDir data volume.
  const claim = (workload.spec.volumeClaimTemplates || []).find((t) => t.metadata.name === "data");
  const dataVolume = (pod.volumes || []).find((v) => v.name === "data");
  if (workload.kind === "Deployment" && claim) problem(where, "a Deployment cannot have claim templates");
  if (!claim && !(dataVolume && dataVolume.emptyDir)) problem(where, "data has neither a claim template nor an emptyDir");
  if (claim && dataVolume) problem(where, "data is both a claim template and a pod volume");

  // Resources and JVM sizing: heap + direct memory fit in the memory limit.
  const res = c.resources || {};
  for (const kind of ["requests", "limits"]) {
    if (!res[kind] || !res[kind].memory) problem(where, `resources.${kind}.memory missing`);
  }
  const jvm = env.JDK_JAVA_OPTIONS || "";
  const limitMiB = res.limits && res.limits.memory ? mebibytes(res.limits.memory) : 0;
  const xmx = /-Xmx([0-9]+)m/.exec(jvm);
  const direct = /-XX:MaxDirectMemorySize=([0-9]+)m/.exec(jvm);
  if (limitMiB > 0) {
    if (!xmx || !direct) problem(where, `JDK_JAVA_OPTIONS lacks -Xmx/MaxDirectMemorySize: ${jvm}`);
    else if (Number(xmx[1]) + Number(direct[1]) >= limitMiB)
      problem(where, `heap ${xmx[1]}m + direct ${direct[1]}m leave nothing of the ${limitMiB}Mi limit`);
  } else if (!/-XX:MaxRAMPercentage=/.test(jvm)) {
    problem(where, "without a memory limit JDK_JAVA_OPTIONS needs -XX:MaxRAMPercentage");
  }

  // Graceful shutdown: Kubernetes must wait longer than the broker drains.
  const file = configFile(objects);
  let drainMs = DEFAULT_DRAIN_MS;
  if (file.shutdown && file.shutdown.drain_timeout_ms !== undefined) drainMs = Number(file.shutdown.drain_timeout_ms);
  if (env.FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS !== undefined) drainMs = Number(env.FELIX_SHUTDOWN_DRAIN_TIMEOUT_MS);
  const graceMs = (pod.terminationGracePeriodSeconds || 30) * 1000;
  if (!(graceMs > drainMs)) problem(where, `terminationGracePeriodSeconds ${graceMs} ms <= drain timeout ${drainMs} ms`);

  // Selectors: the pod template carries every selector label.
  const podLabels = workload.spec.template.metadata.labels || {};
  for (const [k, v] of Object.entries(workload.spec.selector.matchLabels || {})) {
    if (podLabels[k] !== v) problem(where, `pod template lacks selector label ${k}=${v}`);
  }
  for (const pdb of objects.filter((o) => o.kind === "PodDisruptionBudget")) {
    for (const [k, v] of Object.entries(pdb.spec.selector.matchLabels || {})) {
      if (podLabels[k] !== v) problem(name(pdb), `selector ${k}=${v} matches no broker pod`);
    }
  }
}

function checkServices(objects, workload) {
  const services = objects.filter((o) => o.kind === "Service");
  const headless = services.filter((s) => s.spec.clusterIP === "None");
  const client = services.filter((s) => s.spec.clusterIP !== "None");
  if (headless.length !== 1) problem("chart", `expected one headless Service, found ${headless.length}`);
  if (client.length !== 1) problem("chart", `expected one client Service, found ${client.length}`);
  for (const h of headless) {
    if (h.spec.publishNotReadyAddresses !== true) problem(name(h), "publishNotReadyAddresses must be true");
  }
  if (!workload) return;
  if (workload.kind === "StatefulSet" && !headless.some((h) => h.metadata.name === workload.spec.serviceName))
    problem(name(workload), `serviceName ${workload.spec.serviceName} is not the headless Service`);
  const podLabels = workload.spec.template.metadata.labels || {};
  const c = container(workload) || { ports: [] };
  for (const s of services) {
    for (const [k, v] of Object.entries(s.spec.selector || {})) {
      if (podLabels[k] !== v) problem(name(s), `selector ${k}=${v} matches no broker pod`);
    }
    const byName = Object.fromEntries(s.spec.ports.map((p) => [p.name, p]));
    if (!byName.quic || byName.quic.protocol !== "UDP") problem(name(s), "needs port quic over UDP");
    if (!byName.http || byName.http.protocol !== "TCP") problem(name(s), "needs port http over TCP");
    for (const p of s.spec.ports) {
      if (!c.ports.some((cp) => cp.name === p.targetPort && cp.protocol === p.protocol))
        problem(name(s), `port ${p.name} targets ${p.targetPort}/${p.protocol}, which the container lacks`);
    }
  }
}

function metricsIn(text) {
  return text.match(/\b(felix|jvm|kubelet|process)_[a-z0-9_]+/g) || [];
}

function checkMetricNames(where, expressions, knownMetrics) {
  for (const metric of new Set(expressions.flatMap(metricsIn))) {
    if (!metric.startsWith("felix_")) continue; // JVM and kubelet metrics come from their libraries
    const base = metric.replace(/_(bucket|sum|count)$/, "");
    if (!knownMetrics.has(metric) && !knownMetrics.has(base) && !PLANNED_METRICS.includes(metric))
      problem(where, `metric ${metric} is neither exported by the code nor a planned cache metric`);
  }
}

function checkMonitoring(objects, knownMetrics) {
  for (const rule of objects.filter((o) => o.kind === "PrometheusRule")) {
    const exprs = rule.spec.groups.flatMap((g) => g.rules.map((r) => String(r.expr)));
    checkMetricNames(name(rule), exprs, knownMetrics);
    for (const r of rule.spec.groups.flatMap((g) => g.rules)) {
      if (!(r.labels && r.labels.severity)) problem(name(rule), `alert ${r.alert} has no severity`);
    }
  }
  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.data && "felix.json" in o.data)) {
    let dashboard;
    try {
      dashboard = JSON.parse(cm.data["felix.json"]);
    } catch (e) {
      problem(name(cm), `dashboard is not JSON: ${e.message}`);
      continue;
    }
    const panels = (dashboard.panels || []).filter((p) => p.type !== "row");
    const exprs = panels.flatMap((p) => (p.targets || []).map((t) => t.expr));
    checkMetricNames(name(cm), exprs, knownMetrics);
    const used = new Set(exprs.flatMap(metricsIn));
    for (const [area, metric] of Object.entries(DASHBOARD_AREAS)) {
      if (!used.has(metric)) problem(name(cm), `dashboard has no ${area} panel (${metric})`);
    }
  }
}

function readExpectations(valuesFile) {
  const expectations = { kinds: null, env: [], absentEnv: [], config: [] };
  for (const line of fs.readFileSync(valuesFile, "utf8").split("\n")) {
    const m = /^# expect-([a-z-]+): (.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === "kinds") expectations.kinds = m[2].trim().split(/\s+/).sort();
    else if (m[1] === "env") expectations.env.push(m[2].trim());
    else if (m[1] === "absent-env") expectations.absentEnv.push(m[2].trim());
    else if (m[1] === "config") expectations.config.push(m[2].trim());
    else problem(valuesFile, `unknown expectation expect-${m[1]}`);
  }
  return expectations;
}

function checkExpectations(objects, workload, expectations) {
  if (expectations.kinds) {
    const kinds = [...new Set(objects.map((o) => o.kind))].sort();
    if (kinds.join(" ") !== expectations.kinds.join(" "))
      problem("chart", `kinds ${kinds.join(" ")} differ from expected ${expectations.kinds.join(" ")}`);
  }
  if (!workload) return;
  const env = envMap(container(workload) || {});
  for (const pair of expectations.env) {
    const [key, ...rest] = pair.split("=");
    const want = rest.join("=");
    if (env[key] !== want) problem("env", `${key} is ${JSON.stringify(env[key])}, expected ${JSON.stringify(want)}`);
  }
  for (const key of expectations.absentEnv) {
    if (key in env) problem("env", `${key} must not be set`);
  }
  const file = configFile(objects);
  for (const pair of expectations.config) {
    const [key, ...rest] = pair.split("=");
    const value = key.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), file);
    if (String(value) !== rest.join("=")) problem("felix.yaml", `${key} is ${JSON.stringify(value)}, expected ${rest.join("=")}`);
  }
}

main();
