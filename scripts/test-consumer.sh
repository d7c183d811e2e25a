#!/usr/bin/env bash
# `pnpm test:consumer`: what a program outside this repository gets. Packs
# every package under packages/ (new ones are picked up by themselves),
# installs the tarballs with plain npm into temporary programs under /tmp
# (third-party dependencies from the npm registry, ours only from the
# tarballs), and checks: an ESM program driving the memory, openstack and aws
# drivers against cloud-sim; require() of every package on Node 22 and 24;
# tsc --noEmit of a strict TypeScript program (TS 5.9 and 6.0, nodenext and
# bundler); and the CLI with only core installed beside it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/node/versions.sh
fixtures="$root/scripts/consumer"
work="$(mktemp -d /tmp/hybrid-broker-consumer.XXXXXX)"
trap 'rm -rf "$work"' EXIT
npm_install() { npm install --no-audit --no-fund --loglevel=error "$@"; }

tsc -b
mkdir -p "$work/tarballs"
names=()
for dir in packages/*/; do
  name="$(node -p "require('./${dir}package.json').name")"
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
  names+=("$name")
done
tarball() { ls "$work/tarballs/$(echo "$1" | sed 's/^@//; s#/#-#')"-[0-9]*.tgz; }
echo "consumer: packed ${#names[@]} packages"
ls -l "$work/tarballs" | awk 'NR>1 {printf "  %8d  %s\n", $5, $9}'
if tar -tzf "$work"/tarballs/*.tgz 2>/dev/null | grep -q tsbuildinfo; then
  echo "consumer: a tarball ships build info" >&2
  exit 1
fi

# 1. Every package, as an application would install them.
app="$work/app"
mkdir -p "$app"
cp "$fixtures"/drive-clouds.mjs "$fixtures"/require-all.cjs "$fixtures"/program.ts "$fixtures"/tsconfig.*.json "$app/"
echo '{ "name": "consumer-app", "private": true, "type": "module" }' >"$app/package.json"
tarballs=()
for name in "${names[@]}"; do tarballs+=("$(tarball "$name")"); done
started=$SECONDS
(cd "$app" && npm_install "${tarballs[@]}" ts59@npm:typescript@5.9.3 ts60@npm:typescript@6.0.3)
echo "consumer: installed every package in $((SECONDS - started)) s"
(cd "$app" && node drive-clouds.mjs)
entries=("${names[@]}" "@hybrid-broker/core/driver-kit" "@hybrid-broker/driver-openstack/layers")
(cd "$app" && node require-all.cjs "${entries[@]}")
node22="$(bash scripts/node/ensure.sh "$NODE_OLDEST")/node"
(cd "$app" && "$node22" require-all.cjs "${entries[@]}")
for ts in ts59 ts60; do
  for resolution in nodenext bundler; do
    (cd "$app" && node "node_modules/$ts/bin/tsc" -p "tsconfig.$resolution.json")
    echo "consumer: tsc ($ts, $resolution) type-checks the program"
  done
done

# 2. The CLI with only core beside it: no driver package, no cloud SDK.
cli="$work/cli"
mkdir -p "$cli"
echo '{ "name": "consumer-cli", "private": true }' >"$cli/package.json"
(cd "$cli" && npm_install "$(tarball @hybrid-broker/core)" "$(tarball @hybrid-broker/cli)")
(cd "$cli" && npx --no-install hybrid-broker --help >/dev/null)
cat >"$cli/memory.yaml" <<'YAML'
platforms:
  lab:
    driver: memory
    volumes: [{ id: vol-original, availabilityZone: az-1 }]
YAML
(cd "$cli" && npx --no-install hybrid-broker --config memory.yaml --json volume get lab vol-original) | grep -q '"vol-original"'
echo "consumer: hybrid-broker --help and volume get work with only core and the CLI"
printf 'platforms:\n  eu:\n    driver: aws\n    region: eu-west-1\n' >"$cli/aws.yaml"
if out="$(cd "$cli" && npx --no-install hybrid-broker --config aws.yaml volume get eu vol-1 2>&1)"; then
  echo "consumer: a config naming a missing driver package did not fail" >&2
  exit 1
fi
grep -q 'npm install @hybrid-broker/driver-aws' <<<"$out" || { echo "consumer: unexpected error: $out" >&2; exit 1; }
echo "consumer: a config naming aws fails naming @hybrid-broker/driver-aws"

# 3. An OpenStack-only operator: core, the CLI and one driver.
ops="$work/openstack-only"
mkdir -p "$ops"
echo '{ "name": "consumer-openstack", "private": true }' >"$ops/package.json"
(cd "$ops" && npm_install "$(tarball @hybrid-broker/core)" "$(tarball @hybrid-broker/cli)" "$(tarball @hybrid-broker/driver-openstack)")
echo "consumer: the CLI with only the OpenStack driver installs $(du -sh "$ops/node_modules" | cut -f1)"
echo "consumer: passed"
