#!/usr/bin/env bash
# Checks the Dockerfile where no Docker engine runs: lints it with dockerfilelint, then plays
# its instructions as plain commands in a temporary directory (a directory per stage; WORKDIR
# and COPY mapped into it; the build context filtered by .dockerignore), and finally starts the
# last stage's CMD with the image's environment: its HEALTHCHECK must pass, a forged webhook
# must be refused, a signed one accepted, and SIGTERM must stop it.
# Limits: .dockerignore patterns are matched against top-level entries only (the file says
# which top-level entries enter the context), and USER is checked, not switched to.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

echo "== dockerfilelint"
npx --no-install dockerfilelint Dockerfile

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== build context (.dockerignore)"
mkdir "$tmp/context"
mapfile -t patterns < <(sed -e 's/\r$//' -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' .dockerignore)
shopt -s dotglob nullglob
for path in *; do
  excluded=false
  for pattern in "${patterns[@]}"; do
    negated=false
    if [[ $pattern == !* ]]; then negated=true; pattern=${pattern#!}; fi
    pattern=${pattern%/}
    if [[ $pattern == */* ]]; then echo ".dockerignore: '$pattern' is deeper than this check supports" >&2; exit 1; fi
    # shellcheck disable=SC2053 # the pattern is a glob on purpose
    if [[ $path == $pattern ]]; then if $negated; then excluded=false; else excluded=true; fi; fi
  done
  if ! $excluded; then cp -a "$path" "$tmp/context/"; fi
done
shopt -u dotglob nullglob
ls -A "$tmp/context"

# The Dockerfile's instructions, one a line: continuations joined, comments dropped.
mapfile -t instructions < <(sed -e 's/\r$//' Dockerfile | awk '
  /^[[:space:]]*#/ { next }
  { if (sub(/\\[[:space:]]*$/, "")) { buf = buf $0; next } print buf $0; buf = "" }' | grep -v '^[[:space:]]*$')

declare -A stages=()
stage=0 dir="" workdir=/ user="" cmd="" healthcheck=""
image_env=()

# COPY [--from=stage] src… dest, with Docker's semantics: a directory's contents are copied.
copy() {
  local from="" word
  local -a sources=()
  for word in "$@"; do
    case $word in
      --from=*) from=${word#--from=} ;;
      --chown=* | --chmod=*) ;;
      *) sources+=("$word") ;;
    esac
  done
  local dest=${sources[-1]}
  unset 'sources[-1]'
  [[ $dest == /* ]] || dest="$workdir/$dest"
  local from_root="$tmp/context"
  if [[ -n $from ]]; then from_root=${stages[$from]:?"COPY --from=$from: no such stage"}; fi
  if ((${#sources[@]} > 1)) || [[ $dest == */ ]]; then mkdir -p "$dir$dest"; fi
  local source
  for source in "${sources[@]}"; do
    [[ $source == /* ]] || source="/$source"
    local path="$from_root$source"
    if [[ ! -e $path ]]; then echo "COPY: $source is not in the ${from:-build context}" >&2; exit 1; fi
    if [[ -d $path ]]; then
      mkdir -p "$dir$dest"
      cp -a "$path/." "$dir$dest"
    else
      mkdir -p "$(dirname "$dir$dest")"
      cp -a "$path" "$dir$dest"
    fi
  done
}

for line in "${instructions[@]}"; do
  keyword=${line%%[[:space:]]*}
  args=${line#"$keyword"}
  args=${args#"${args%%[![:space:]]*}"}
  echo "-- $keyword ${args:0:100}"
  case ${keyword^^} in
    FROM)
      stage=$((stage + 1)) dir="$tmp/stage$stage" workdir=/ user="" image_env=()
      mkdir -p "$dir"
      if [[ $args =~ [[:space:]][Aa][Ss][[:space:]]+([^[:space:]]+) ]]; then stages[${BASH_REMATCH[1]}]=$dir; fi
      ;;
    WORKDIR) workdir=$args; mkdir -p "$dir$workdir" ;;
    ENV) eval "image_env+=($args)" ;;
    COPY) eval "copy $args" ;;
    # npm's cache serves the packages when it can: the check needs no fresh downloads.
    RUN) (cd "$dir$workdir" && env "${image_env[@]}" npm_config_prefer_offline=true bash -euo pipefail -c "$args") </dev/null ;;
    USER) user=$args ;;
    HEALTHCHECK) healthcheck=${args#*CMD } ;;
    CMD) cmd=$args ;;
    EXPOSE | LABEL | ARG) ;;
    *) echo "check-dockerfile.sh does not know the instruction $keyword" >&2; exit 1 ;;
  esac
done

echo "== the runtime stage"
# The steps ran with this machine's node; the image's is the FROM line's.
echo "(steps ran with node $(node --version); the image: $(grep -m1 -o '^FROM [^ ]*' <(tac Dockerfile) | cut -d' ' -f2))"
final="$dir$workdir"
if [[ -z $user || $user == root || $user == 0 ]]; then echo "the image must run as a non-root USER" >&2; exit 1; fi
node -e '
  const fs = require("node:fs");
  const dev = Object.keys(JSON.parse(fs.readFileSync("package.json", "utf8")).devDependencies ?? {});
  const present = dev.filter((name) => fs.existsSync(`${process.argv[1]}/node_modules/${name}`));
  if (present.length > 0) { console.error(`dev dependencies in the runtime stage: ${present.join(", ")}`); process.exit(1); }
  console.log(`no dev dependency among ${fs.readdirSync(`${process.argv[1]}/node_modules`).length} entries of node_modules`);
' "$final"
mapfile -t cmd_argv < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$cmd")
mapfile -t health_argv < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a)' "$healthcheck")

echo "== start the server (CMD) and probe it (HEALTHCHECK)"
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
private_key=$(node -e 'console.log(require("node:crypto").generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey)')
secret=check-dockerfile-secret
run_env=("${image_env[@]}" PORT="$port" HOST=127.0.0.1 APP_ID=1 PRIVATE_KEY="$private_key" WEBHOOK_SECRET="$secret" LOG_LEVEL=warn)
# The server's log is shown only when something fails (the forged delivery logs an error, as it should).
server_log="$tmp/server.log"
fail() {
  echo "$1" >&2
  echo "-- the server's log:" >&2
  cat "$server_log" >&2
  exit 1
}
(cd "$final" && exec env "${run_env[@]}" "${cmd_argv[@]}") >"$server_log" 2>&1 &
server_pid=$!
healthy=false
for _ in $(seq 1 40); do
  if ! kill -0 "$server_pid" 2>/dev/null; then fail "the server exited"; fi
  if (cd "$final" && env "${run_env[@]}" "${health_argv[@]}"); then healthy=true; break; fi
  sleep 0.5
done
$healthy || fail "HEALTHCHECK never passed"
echo "healthy: GET /ping answered PONG"

node --input-type=module -e '
  import { createHmac } from "node:crypto";
  const [port, secret] = process.argv.slice(1);
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const post = (signature) => fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "check-dockerfile", "x-hub-signature-256": signature },
    body,
  });
  const forged = await post(`sha256=${createHmac("sha256", "not-the-secret").update(body).digest("hex")}`);
  const signed = await post(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  console.log(`forged signature: ${forged.status}; signed: ${signed.status}`);
  if (forged.status < 400 || forged.status >= 500 || signed.status !== 200) process.exit(1);
' "$port" "$secret" || fail "webhook signatures are not verified as they should be"

echo "== SIGTERM stops it"
kill -TERM "$server_pid"
for _ in $(seq 1 20); do
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.25
done
if kill -0 "$server_pid" 2>/dev/null; then fail "the server ignored SIGTERM"; fi
wait "$server_pid" || fail "the server exited with an error on SIGTERM"
server_pid=""
echo "Dockerfile OK"
