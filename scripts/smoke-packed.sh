#!/usr/bin/env bash
# Packs the package as a fresh clone would (a copy of the tree without dist/: `npm pack` must build it
# through prepack, quietly), checks the tarball, installs it into a scratch project, as a user would,
# and runs the README's first example (ESM), a CommonJS require and the tk command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# 1. the tree as a fresh clone has it (tracked and new files, nothing ignored: no dist/), with the
#    installed dependencies
tree="$dir/clone"
mkdir "$tree"
(cd "$root" && git ls-files -z --cached --others --exclude-standard --deduplicate) |
  while IFS= read -r -d '' f; do if [ -e "$root/$f" ]; then printf '%s\0' "$f"; fi; done |
  tar -C "$root" --null -T - -cf - | tar -C "$tree" -xf -
[ ! -e "$tree/dist" ] || { echo "the copied tree has a dist/" >&2; exit 1; }
ln -s "$root/node_modules" "$tree/node_modules"

# 2. npm pack: prepack builds dist/ and prints nothing (the build npm run demo runs too)
(cd "$tree" && npm pack --silent --pack-destination "$dir" >"$dir/pack.out" 2>"$dir/pack.err") || {
  cat "$dir/pack.out" "$dir/pack.err" >&2
  exit 1
}
tgz=$(tail -n 1 "$dir/pack.out")
build_lines=$(( $(wc -l <"$dir/pack.out") - 1 + $(wc -l <"$dir/pack.err") ))
if [ "$build_lines" -gt 1 ]; then
  echo "npm pack's build (prepack: npm run build:quiet) printed $build_lines lines, expected at most 1:" >&2
  head -n -1 "$dir/pack.out" >&2
  cat "$dir/pack.err" >&2
  exit 1
fi
node -e '
  const s = require(process.argv[1]).scripts;
  const quiet = "npm run build:quiet --silent";
  if (s.prepack !== quiet || !s.demo.startsWith(`${quiet} && `)) {
    console.error(`prepack and demo must build with ${quiet}: prepack=${s.prepack} demo=${s.demo}`);
    process.exit(1);
  }
' "$tree/package.json"
listing=$(tar -tzf "$dir/$tgz")
for f in dist/index.js dist/index.cjs dist/index.d.ts dist/index.d.cts dist/cli/tk.js \
  dist/testing/index.js dist/testing/arbitraries.js dist/oldb/index.js dist/ui/index.js \
  dist/remote/index.js dist/gateway/index.js dist/node/index.js dist/demo/index.html dist/demo/app.js; do
  grep -qx "package/$f" <<<"$listing" || { echo "the packed tarball lacks $f" >&2; exit 1; }
done
echo "npm pack from a tree without dist/: $tgz with $(grep -c '^package/dist/' <<<"$listing") files in dist/, build output $build_lines line(s)"

# 3. installed in a scratch project
cd "$dir"
mkdir user && cd user
echo '{"name":"smoke","version":"1.0.0","type":"module","private":true}' > package.json
npm install --silent --no-audit --no-fund "../$tgz" >/dev/null
# the README's first example, as written
awk '/^## First read/{f=1} f&&/^```ts$/{c=1;next} c&&/^```$/{exit} c' "$root/README.md" > first.mjs
expected=$(sed -n 's#.*// \(.*\)$#\1#p' first.mjs | tail -n 1)
got=$(node first.mjs)
[ "$got" = "$expected" ] || { echo "README example printed: $got; expected: $expected" >&2; exit 1; }
echo "README example: $got"
node -e "require('tk-core').Attribute('loc:/smoke/x?init=3&units=mm').read().then((r) => console.log('CommonJS:', String(r.rvalue)))"
npx --no-install tk read 'eval:Q("1.5 m")*2'
# the README's install section: the example OLDB with no server, from the installed package
npx --no-install tk watch 'cii.oldb:/root/example/double/sine' --embedded --count 2
npx --no-install tk --version
