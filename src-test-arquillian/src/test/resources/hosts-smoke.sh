#!/usr/bin/env bash
# Smoke test of separate hosts and the network nemesis, through the launcher alone (no Arquillian):
# up --hosts, status, a short load, a partition that must drop packets (not refuse them), heal, verify,
# down, and nothing of ours left in `ip netns`, `ip link` or `nft list ruleset`.
#
#   sudo src-test-arquillian/src/test/resources/hosts-smoke.sh      (about 3 minutes; root for namespaces)
#
# It runs a cluster of its own: home target/hosts-smoke, its own ports, namespace prefix and subnet, so
# it can run beside a loopback cluster or a hosts cluster with the default names. Exit 0: passed;
# 1: a check failed; 77: skipped (not root, or no ip/nft), as automake's convention has it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
DUPLEX=$ROOT/duplex
export DUPLEX_HOME=${SMOKE_HOME:-$ROOT/target/hosts-smoke}
export DUPLEX_DB_A_PORT=5483 DUPLEX_DB_B_PORT=5484 DUPLEX_DB_W_PORT=5485
export DUPLEX_NODE_A_OFFSET=1100 DUPLEX_NODE_B_OFFSET=1200
export DUPLEX_HOSTS_PREFIX=dplxs DUPLEX_HOSTS_NET=198.18.1
export DUPLEX_BOOT_TIMEOUT=${DUPLEX_BOOT_TIMEOUT:-300}

failures=0
pass() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

[[ $(id -u) -eq 0 ]] || { echo "SKIPPED: separate hosts need root"; exit 77; }
command -v ip > /dev/null && command -v nft > /dev/null || { echo "SKIPPED: needs ip (iproute2) and nft (nftables)"; exit 77; }

cleanup() { timeout 180 "$DUPLEX" down > "$DUPLEX_HOME.down.log" 2>&1 || true; }
trap cleanup EXIT

# connect from inside a namespace (or from the host side with ns "host"): prints open, refused or
# dropped (no answer within 3 s: what a cut cable looks like)
probe() {
  local ns=$1 addr=$2 port=$3 rc=0
  if [[ $ns == host ]]; then
    timeout 3 bash -c "exec 3<>/dev/tcp/$addr/$port" 2> /dev/null || rc=$?
  else
    timeout 3 ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$addr/$port" 2> /dev/null || rc=$?
  fi
  case $rc in 0) echo open ;; 124) echo dropped ;; *) echo refused ;; esac
}

# the whole verify until it passes (a heal may leave a resync of a few seconds), with a deadline
verify_until() {
  local deadline=$((SECONDS + $1)) json=$2
  until "$DUPLEX" verify --expect "$json" > "$DUPLEX_HOME.verify.log" 2>&1; do
    ((SECONDS < deadline)) || { cat "$DUPLEX_HOME.verify.log"; return 1; }
    sleep 1
  done
}

echo "== up --hosts ($DUPLEX_HOME)"
timeout 600 "$DUPLEX" setup --fresh --hosts > /dev/null
timeout 600 "$DUPLEX" up --hosts > "$DUPLEX_HOME.up.log" 2>&1 || { tail -n 30 "$DUPLEX_HOME.up.log"; fail "up --hosts"; exit 1; }
pass "up --hosts"
for p in db-a db-b db-w node-a node-b; do
  check "namespace dplxs-$p exists" test -e "/run/netns/dplxs-$p"
done
status=$("$DUPLEX" status --json)
check "status --json gives db-a its own address" test "$(jq -r '.databases["db-a"].host' <<< "$status")" = 198.18.1.11
check "both nodes up" test "$(jq -r '[.nodes[]] | join(",")' <<< "$status")" = up,up
check "status shows node-b's address" bash -c "'$DUPLEX' status | grep -q 'node-b .*198.18.1.22:'"
check "nothing listens on loopback for db-a" test "$(probe host 127.0.0.1 $DUPLEX_DB_A_PORT)" = refused

echo "== load across the bridge"
mkdir -p "$DUPLEX_HOME/runs"
timeout 120 "$DUPLEX" client loadgen --threads 2 --duration 10 --json "$DUPLEX_HOME/runs/before.json" > /dev/null
check "loadgen acknowledged writes" test "$(jq -r .acknowledged "$DUPLEX_HOME/runs/before.json")" -gt 0

echo "== partition node-a,db-a | node-b,db-b,db-w"
"$DUPLEX" partition node-a,db-a node-b,db-b,db-w
check "node-b -> db-a dropped" test "$(probe dplxs-node-b 198.18.1.11 $DUPLEX_DB_A_PORT)" = dropped
check "node-a -> db-b dropped" test "$(probe dplxs-node-a 198.18.1.12 $DUPLEX_DB_B_PORT)" = dropped
check "node-a -> node-b dropped" test "$(probe dplxs-node-a 198.18.1.22 $((8080 + DUPLEX_NODE_B_OFFSET)))" = dropped
check "node-a -> db-a open" test "$(probe dplxs-node-a 198.18.1.11 $DUPLEX_DB_A_PORT)" = open
check "node-b -> db-w open" test "$(probe dplxs-node-b 198.18.1.13 $DUPLEX_DB_W_PORT)" = open
check "host side (not in a group) -> db-a open" test "$(probe host 198.18.1.11 $DUPLEX_DB_A_PORT)" = open
check "status names the cut" bash -c "'$DUPLEX' status | grep -q 'partition (dropped)'"
# what the service does meanwhile is the safety rules' business; here a bounded load only records it
timeout 120 "$DUPLEX" client loadgen --threads 2 --duration 10 --json "$DUPLEX_HOME/runs/during.json" > /dev/null || true
echo "   during the partition: $(jq -c '{acknowledged, errors, maxOutageMs}' "$DUPLEX_HOME/runs/during.json" 2> /dev/null || echo 'no result')"

echo "== heal"
"$DUPLEX" heal
check "node-b -> db-a open after heal" test "$(probe dplxs-node-b 198.18.1.11 $DUPLEX_DB_A_PORT)" = open
check "no nft table left after heal" bash -c "! nft list table bridge dplxs_nemesis > /dev/null 2>&1"
check "verify after heal (within 60 s)" verify_until 60 "$DUPLEX_HOME/runs/before.json"

echo "== down"
timeout 180 "$DUPLEX" down > /dev/null
trap - EXIT
check "no namespace left" bash -c "! ip netns list | grep -q '^dplxs-'"
check "no link left" bash -c "! ip -o link | grep -q ' dplxs-'"
check "no nft table left" bash -c "! nft list ruleset | grep -q dplxs_nemesis"
check "down again is harmless" timeout 60 "$DUPLEX" down

if ((failures > 0)); then echo "hosts smoke: $failures check(s) failed"; exit 1; fi
echo "hosts smoke: passed"
