// Proves that every setting in docs/configuration.md can be set through the chart's values:
//  - chart-managed settings (bind addresses, data dir, TLS and config file paths) follow their
//    values (ports.*, dataDir, tls.*), checked by rendering with non-default values;
//  - every other setting is a typed key under `config` (values.schema.json) that lands in the
//    rendered felix.yaml, and also works as a variable in the generic `env` map;
//  - the schema types no key the documentation does not have (no stale or invented settings).
// Usage: node check-settings.js HELM CHART_DIR CONFIGURATION_MD WORK_DIR
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const yaml = require("js-yaml");

const [helm, chart, docFile, workDir] = process.argv.slice(2);
const problems = [];

// How each chart-managed setting is driven, and what the rendered variable must then be.
const MANAGED = {
  FELIX_CONFIG_FILE: { values: {}, expect: "/etc/felix/config/felix.yaml" },
  FELIX_QUIC_BIND: { values: { ports: { quic: 5999 } }, expect: "0.0.0.0:5999" },
  FELIX_HTTP_BIND: { values: { ports: { http: 8999 } }, expect: "0.0.0.0:8999" },
  FELIX_DATA_DIR: { values: { dataDir: "/data/felix" }, expect: "/data/felix" },
  FELIX_TLS_CERT: { values: { tls: { enabled: true, secretName: "s" } }, expect: "/etc/felix/tls/tls.crt" },
  FELIX_TLS_KEY: { values: { tls: { enabled: true, secretName: "s" } }, expect: "/etc/felix/tls/tls.key" },
};

function documentedSettings() {
  const rows = [];
  for (const line of fs.readFileSync(docFile, "utf8").split("\n")) {
    const m = /^\| `(FELIX_[A-Z0-9_]+)` \| (?:`([a-z0-9_.]+)`|-) \|/.exec(line);
    if (m) rows.push({ env: m[1], key: m[2] || null });
  }
  if (rows.length < 10) throw new Error(`only ${rows.length} settings parsed from ${docFile}`);
  return rows;
}

function render(name, values) {
  const file = path.join(workDir, `settings-${name}.yaml`);
  fs.writeFileSync(file, yaml.dump(values));
  const out = execFileSync(helm, ["template", "felix", chart, "-f", file], { encoding: "utf8" });
  const objects = yaml.loadAll(out).filter(Boolean);
  const workload = objects.find((o) => o.kind === "StatefulSet" || o.kind === "Deployment");
  const c = workload.spec.template.spec.containers.find((x) => x.name === "felix");
  const env = Object.fromEntries((c.env || []).map((e) => [e.name, e.value]));
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.data && "felix.yaml" in o.data);
  return { env, file: yaml.load(cm.data["felix.yaml"]) || {} };
}

function schemaLeaves() {
  const schema = JSON.parse(fs.readFileSync(path.join(chart, "values.schema.json"), "utf8"));
  const leaves = {};
  for (const [area, areaSchema] of Object.entries(schema.properties.config.properties)) {
    for (const [key, leaf] of Object.entries(areaSchema.properties)) leaves[`${area}.${key}`] = leaf;
  }
  const managedInSchema = schema.properties.env.propertyNames.not.enum.slice().sort();
  return { leaves, managedInSchema };
}

// A value the schema accepts and that differs from most defaults, so it is visibly ours.
function probeValue(key, leaf) {
  if (leaf.enum) return leaf.enum[leaf.enum.length - 1];
  if (leaf.type === "boolean") return false;
  if (leaf.type === "integer") return leaf.minimum !== undefined ? leaf.minimum : 1;
  const candidates = ["probe-1", "dev.felix.broker=debug"];
  const pattern = leaf.pattern ? new RegExp(leaf.pattern) : null;
  const value = candidates.find((v) => !pattern || pattern.test(v));
  if (!value) problems.push(`${key}: no probe value matches the schema pattern ${leaf.pattern}`);
  return value;
}

function lookup(object, dotted) {
  return dotted.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), object);
}

function main() {
  const settings = documentedSettings();
  const { leaves, managedInSchema } = schemaLeaves();
  const managedNames = Object.keys(MANAGED).sort();
  if (managedNames.join() !== managedInSchema.join())
    problems.push(`schema env exclusions ${managedInSchema} differ from the managed list ${managedNames}`);

  // 1. Chart-managed settings follow their values.
  for (const [env, how] of Object.entries(MANAGED)) {
    if (!settings.some((s) => s.env === env)) problems.push(`${env} is chart-managed but not documented`);
    const got = render(`managed-${env}`, how.values).env[env];
    if (got !== how.expect) problems.push(`${env}: rendered ${JSON.stringify(got)}, expected ${how.expect}`);
  }

  // 2. Every other documented setting is a typed config key that reaches felix.yaml.
  const open = settings.filter((s) => !(s.env in MANAGED));
  const config = {};
  const expected = {};
  for (const s of open) {
    if (!s.key) {
      problems.push(`${s.env} has no YAML key and is not chart-managed: add it to MANAGED`);
      continue;
    }
    const leaf = leaves[s.key];
    if (!leaf) {
      problems.push(`${s.env} (${s.key}) has no typed value config.${s.key} in values.schema.json`);
      continue;
    }
    const value = probeValue(s.key, leaf);
    const [area, key] = s.key.split(".");
    config[area] = config[area] || {};
    config[area][key] = value;
    expected[s.key] = value;
  }
  const typed = render("typed", { config, terminationGracePeriodSeconds: 30 }).file;
  for (const [key, value] of Object.entries(expected)) {
    if (lookup(typed, key) !== value)
      problems.push(`config.${key}=${JSON.stringify(value)} rendered as ${JSON.stringify(lookup(typed, key))} in felix.yaml`);
  }

  // 3. The generic env map carries every non-managed variable unchanged.
  const env = Object.fromEntries(open.map((s) => [s.env, "1000"]));
  const viaEnv = render("env", { env }).env;
  for (const name of Object.keys(env)) {
    if (viaEnv[name] !== "1000") problems.push(`env.${name} did not reach the container (${viaEnv[name]})`);
  }

  // 4. The schema types nothing that is not documented.
  const documentedKeys = new Set(settings.map((s) => s.key).filter(Boolean));
  for (const key of Object.keys(leaves)) {
    if (!documentedKeys.has(key)) problems.push(`config.${key} is in values.schema.json but not in docs/configuration.md`);
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(`  settings: ${p}`);
    process.exit(1);
  }
  console.log(
    `  settings: ${settings.length} documented; ${managedNames.length} chart-managed, ` +
      `${Object.keys(expected).length} typed under config, ${Object.keys(env).length} via env`
  );
}

main();
