// Metric names the broker exports, read from the Java sources (string literals "felix_..." in
// src/main/java), so dashboards and alerts cannot drift from the code. PLANNED_METRICS may name
// metrics an issue in progress will add (none now); panels using them must say so.
"use strict";

const fs = require("fs");
const path = require("path");

const PLANNED_METRICS = [];

function javaFiles(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "target" || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) javaFiles(full, out);
    else if (entry.name.endsWith(".java") && full.includes(`${path.sep}src${path.sep}main${path.sep}java${path.sep}`))
      out.push(full);
  }
  return out;
}

function collectMetricNames(repoRoot) {
  const names = new Set();
  for (const file of javaFiles(repoRoot, [])) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(/"(felix_[a-z0-9_]+)"/g)) names.add(m[1]);
  }
  if (names.size === 0) throw new Error(`no felix_ metric names found under ${repoRoot}`);
  return names;
}

module.exports = { collectMetricNames, PLANNED_METRICS };
