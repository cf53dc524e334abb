// Static checks of the Dockerfile, standing in for hadolint (not obtainable from Maven Central,
// Debian bookworm or npm) and for a real build (no Docker engine in CI). Each rule says why.
// Usage: node check-dockerfile.js REPO_ROOT
"use strict";

const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");

const root = process.argv[2];
const problems = [];
const fail = (rule, text) => problems.push(`${rule}: ${text}`);

// Instructions with continuation lines joined and comments dropped (a parser directive such as
// `# syntax=` is a comment too).
function instructions(text) {
  const out = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (current === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue;
    current += (current ? " " : "") + line.replace(/\\$/, "").trim();
    if (!line.endsWith("\\")) {
      const m = /^(\w+)\s+(.*)$/.exec(current);
      if (m) out.push({ op: m[1].toUpperCase(), args: m[2] });
      current = "";
    }
  }
  return out;
}

function main() {
  const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
  const all = instructions(dockerfile);
  const args = {};
  const stages = [];
  for (const ins of all) {
    if (ins.op === "ARG" && stages.length === 0) {
      const m = /^(\w+)=(\S+)$/.exec(ins.args);
      if (m) args[m[1]] = m[2];
    }
    if (ins.op === "FROM") stages.push({ from: ins.args, body: [] });
    else if (stages.length > 0) stages[stages.length - 1].body.push(ins);
  }

  // R1 multi-stage: the runtime image must not carry Maven, sources or the JDK.
  if (stages.length < 2) fail("R1 multi-stage", "needs a build stage and a runtime stage");
  const image = (from) => from.split(/\s+/)[0].replace(/\$\{(\w+)\}/g, (_, n) => args[n] || `\${${n}}`);

  // R2 pinned bases: an exact version tag (or a digest), never latest or a moving major tag.
  for (const stage of stages) {
    const ref = image(stage.from);
    if (ref.includes("${")) fail("R2 pinned base", `FROM ${stage.from}: ARG without a default`);
    else if (!/@sha256:[0-9a-f]{64}$/.test(ref)) {
      const tag = ref.includes(":") ? ref.split(":").pop() : "";
      if (!tag || tag === "latest") fail("R2 pinned base", `${ref} has no version tag`);
      else if (!/[0-9]+\.[0-9]+(\.[0-9]+)?/.test(tag)) fail("R2 pinned base", `${ref}: tag ${tag} is not an exact version`);
    }
  }
  const runtime = stages[stages.length - 1];
  const runtimeImage = image(runtime.from);
  if (!/jre/.test(runtimeImage)) fail("R3 slim runtime", `runtime base ${runtimeImage} is not a JRE image`);
  if (/alpine/.test(runtimeImage)) fail("R3 slim runtime", "Netty's QUIC native library needs glibc, not Alpine's musl");

  // R4 non-root: the last USER of the runtime stage is numeric and not 0.
  const users = runtime.body.filter((i) => i.op === "USER").map((i) => i.args.split(":")[0]);
  const user = users[users.length - 1];
  if (!user) fail("R4 non-root", "runtime stage has no USER");
  else if (!/^[0-9]+$/.test(user) || user === "0")
    fail("R4 non-root", `USER ${user}: use a numeric non-zero uid so runAsNonRoot can verify it`);

  // R5 ports: QUIC over UDP and HTTP over TCP, matching the chart's defaults.
  const values = yaml.load(fs.readFileSync(path.join(root, "deploy/helm/felix/values.yaml"), "utf8"));
  const exposed = runtime.body.filter((i) => i.op === "EXPOSE").flatMap((i) => i.args.split(/\s+/));
  for (const want of [`${values.ports.quic}/udp`, `${values.ports.http}/tcp`]) {
    if (!exposed.includes(want)) fail("R5 ports", `EXPOSE ${want} missing (found ${exposed.join(" ") || "none"})`);
  }

  // R6 no ADD: COPY is explicit; ADD fetches URLs and unpacks archives behind one's back.
  for (const ins of all.filter((i) => i.op === "ADD")) fail("R6 no ADD", `ADD ${ins.args}: use COPY`);

  // R7 exec form: java must be PID 1 to receive SIGTERM and drain; a shell would swallow it.
  for (const op of ["ENTRYPOINT", "CMD"]) {
    const ins = runtime.body.filter((i) => i.op === op).pop();
    if (!ins) fail("R7 exec form", `runtime stage has no ${op}`);
    else if (!ins.args.startsWith("[")) fail("R7 exec form", `${op} ${ins.args} is in shell form`);
  }

  // R8 container JVM flags: heap from the memory limit, exit on OOM.
  const runtimeText = runtime.body.map((i) => i.args).join("\n");
  if (!/-XX:MaxRAMPercentage=/.test(runtimeText)) fail("R8 JVM flags", "no -XX:MaxRAMPercentage");
  if (!/-XX:\+ExitOnOutOfMemoryError/.test(runtimeText)) fail("R8 JVM flags", "no -XX:+ExitOnOutOfMemoryError");

  // R9 hygiene: no piped installers, no sudo, no unpinned/uncleaned apt, no secrets in ENV.
  for (const ins of all.filter((i) => i.op === "RUN")) {
    if (/(curl|wget)[^|]*\|\s*(ba)?sh/.test(ins.args)) fail("R9 hygiene", "downloads piped into a shell");
    if (/\bsudo\b/.test(ins.args)) fail("R9 hygiene", "sudo in RUN");
    if (/apt-get\s+install/.test(ins.args)) {
      if (!/--no-install-recommends/.test(ins.args)) fail("R9 hygiene", "apt-get install without --no-install-recommends");
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(ins.args)) fail("R9 hygiene", "apt lists not removed");
    }
  }
  for (const ins of all.filter((i) => i.op === "ENV" || i.op === "ARG")) {
    if (/(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)\w*=/i.test(ins.args)) fail("R9 hygiene", `secret-like ${ins.op} ${ins.args}`);
  }
  for (const ins of all.filter((i) => i.op === "WORKDIR")) {
    if (!ins.args.startsWith("/")) fail("R9 hygiene", `WORKDIR ${ins.args} is relative`);
  }

  // R10 the data directory the image declares is the one the chart mounts.
  if (!new RegExp(`FELIX_DATA_DIR=${values.dataDir}(\\s|$)`).test(runtimeText))
    fail("R10 data dir", `FELIX_DATA_DIR is not ${values.dataDir} (the chart's dataDir)`);

  // R11 .dockerignore keeps build output and VCS data out of the context.
  const ignoreFile = path.join(root, ".dockerignore");
  if (!fs.existsSync(ignoreFile)) fail("R11 .dockerignore", "missing");
  else {
    const ignore = fs.readFileSync(ignoreFile, "utf8").split("\n").map((l) => l.trim());
    for (const want of ["**/target", ".git"]) {
      if (!ignore.includes(want)) fail("R11 .dockerignore", `does not exclude ${want}`);
    }
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(`  Dockerfile: ${p}`);
    process.exit(1);
  }
  console.log(`  Dockerfile: ${all.length} instructions, ${stages.length} stages, rules R1-R11 hold`);
}

main();
