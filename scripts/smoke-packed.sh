#!/usr/bin/env bash
# Installs the packed package into a scratch project, as a user would, and runs
# the README's first example (ESM), a CommonJS require and the tk command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tgz=$(cd "$root" && npm pack --silent --pack-destination "$dir" | tail -n 1)
cd "$dir"
echo '{"name":"smoke","version":"1.0.0","type":"module","private":true}' > package.json
npm install --silent --no-audit --no-fund "./$tgz" >/dev/null
# the README's first example, as written
awk '/^## First read/{f=1} f&&/^```ts$/{c=1;next} c&&/^```$/{exit} c' "$root/README.md" > first.mjs
expected=$(sed -n 's#.*// \(.*\)$#\1#p' first.mjs | tail -n 1)
got=$(node first.mjs)
[ "$got" = "$expected" ] || { echo "README example printed: $got; expected: $expected" >&2; exit 1; }
echo "README example: $got"
node -e "require('tk-core').Attribute('loc:/smoke/x?init=3&units=mm').read().then((r) => console.log('CommonJS:', String(r.rvalue)))"
npx --no-install tk read 'eval:Q("1.5 m")*2'
npx --no-install tk --version
