# Duplex launcher, sourced by ./duplex: the nemesis, a Jepsen-style suite over separate hosts.
#
# `./duplex nemesis` runs scenarios one after the other on the hosts cluster of $DUPLEX_HOME (started
# with `up --hosts` when it is not running). Each scenario: a bounded load that records its history
# (loadgen --history), a schedule of faults (partitions, kills, pauses; each one's start and end
# written to faults-<scenario>.jsonl), everything healed, a wait with a deadline until the cluster is
# back in sync, then the holds read from the primary (holds-<scenario>.json), the history checker and
# verify. Availability comes from the history (the longest
# time without an acknowledged write) and from a poll of the epoch stores once a second (how often
# the primary changed). Everything lands under the out directory (default target/nemesis): one
# result-<scenario>.json each, results.json, report.md and timeline-<scenario>.png.
#
# Nothing stays broken: every fault is healed before the next one starts, and on any exit the network
# is healed and paused processes resumed.

NEMESIS_SCENARIOS=(nodes-split split-witness-a split-witness-b split-witness-none crossed primary-cut-from-data
  witness-isolated slow-db random-mix)

nemesis_describe() {
  case $1 in
    nodes-split) echo "the two nodes cut from each other; both still reach db-a, db-b and db-w" ;;
    split-witness-a) echo "symmetric split node-a,db-a,db-w | node-b,db-b: the witness on node-a's side" ;;
    split-witness-b) echo "symmetric split node-a,db-a | node-b,db-b,db-w: the witness on node-b's side" ;;
    split-witness-none) echo "symmetric split node-a,db-a | node-b,db-b | db-w: the witness on neither side" ;;
    crossed) echo "crossed split node-a,db-b | node-b,db-a (nodes cut from each other and from their own database); db-w reaches both" ;;
    primary-cut-from-data) echo "the primary cut from db-a and db-b; it still reaches the other node and db-w" ;;
    witness-isolated) echo "db-w cut from everything" ;;
    slow-db) echo "the primary's own database slowed by 300 ms per packet (netem)" ;;
    random-mix) echo "a seeded random sequence of all the above, kill -9 and pause of nodes and databases; each fault healed before the next" ;;
    *) return 1 ;;
  esac
}

# ---------------------------------------------------------------- small tools
nemesis_now_ms() { date +%s%3N; }
nemesis_log() { printf '[%s] %s\n' "$(date +%T)" "$*" | tee -a "$NEMESIS_OUT/nemesis.log"; }

# a deterministic generator of our own (not bash's RANDOM): a seed replays the same schedule
nemesis_rand() {
  NEMESIS_STATE=$(( (NEMESIS_STATE * 1103515245 + 12345) % 2147483648 ))
  NEMESIS_R=$(( (NEMESIS_STATE / 65536) % $1 ))
}

nemesis_primary() {
  local state
  state=$(cluster_state 2>/dev/null) || { echo node-a; return; }
  echo "${state% *}"
}
nemesis_other() { if [[ $1 == node-a ]]; then echo node-b; else echo node-a; fi; }

# ---------------------------------------------------------------- faults and their record
# nemesis_fault KIND DESCRIPTION COMMAND...: applies one fault, recording when it started
nemesis_fault() {
  local kind=$1 desc=$2; shift 2
  NEMESIS_FAULT_KIND=$kind NEMESIS_FAULT_DESC=$desc NEMESIS_FAULT_START=$(nemesis_now_ms)
  nemesis_log "fault on: $desc"
  ( "$@" ) >> "$NEMESIS_SCENARIO_LOG" 2>&1 || nemesis_log "    (the fault command failed: see $NEMESIS_SCENARIO_LOG)"
  NEMESIS_FAULTS+=("$desc")
}

# heals the current fault (and anything else left), then writes its interval
nemesis_fault_end() {
  nemesis_heal_all
  [[ -n ${NEMESIS_FAULT_START:-} ]] || return 0
  jq -nc --arg s "$NEMESIS_SCENARIO" --arg k "$NEMESIS_FAULT_KIND" --arg f "$NEMESIS_FAULT_DESC" \
    --argjson a "$NEMESIS_FAULT_START" --argjson b "$NEMESIS_HEALED_MS" \
    '{scenario: $s, kind: $k, fault: $f, startMs: $a, endMs: $b}' >> "$NEMESIS_FAULTS_FILE"
  nemesis_log "fault off: $NEMESIS_FAULT_DESC ($(( (NEMESIS_HEALED_MS - NEMESIS_FAULT_START) / 1000 )) s)"
  NEMESIS_FAULT_START=""
}

# undoes every fault this launcher can make: the cut and slow links, paused and stopped processes.
# NEMESIS_HEALED_MS is when the last fault was undone (a node's boot after that is recovery, not fault)
nemesis_heal_all() {
  local p
  ( cmd_heal ) >> "${NEMESIS_SCENARIO_LOG:-/dev/null}" 2>&1 || true
  for p in "${DATABASES[@]}" "${NODES[@]}"; do
    if { is_db "$p" && db_paused "$p"; } || { is_node "$p" && node_paused "$p"; }; then
      ( cmd_signal CONT "$p" ) >> "${NEMESIS_SCENARIO_LOG:-/dev/null}" 2>&1 || true
    fi
  done
  for p in "${DATABASES[@]}"; do
    db_running "$p" || ( db_start "$p" ) >> "${NEMESIS_SCENARIO_LOG:-/dev/null}" 2>&1 || nemesis_log "    could not start $p again"
  done
  NEMESIS_HEALED_MS=$(nemesis_now_ms)
  for p in "${NODES[@]}"; do
    node_alive "$p" || ( node_start "$p" && wait_serving "$p" ) >> "${NEMESIS_SCENARIO_LOG:-/dev/null}" 2>&1 \
      || nemesis_log "    could not start $p again"
  done
}

# the cluster is back in sync: both nodes serve, the stores' majority names a primary, mode sync,
# nothing lagging, no journal left. Polls until then or the deadline (seconds); prints the seconds taken
nemesis_wait_sync() {
  local deadline=$((SECONDS + $1)) start=$SECONDS row primary epoch mode lagging
  while :; do
    if node_serving node-a && node_serving node-b && row=$(cluster_row 2>/dev/null); then
      read -r primary epoch mode lagging <<< "$row"
      if [[ -n $primary && $mode == sync && $lagging == - && $(journal_depth) == 0 ]]; then
        echo $((SECONDS - start)); return 0
      fi
    fi
    ((SECONDS < deadline)) || { echo $((SECONDS - start)); return 1; }
    sleep 1
  done
}

# ---------------------------------------------------------------- the holds after the heal
# What check --holds judges the run's holds against, written to FILE as {readAtMs, held, holds}: held is
# each resource's held units as the primary counts them (GET /resources, open to anyone), read first;
# holds the live holds of each client id of the run's history (GET /holds?clientId=, role client: the credentials
# go to curl on stdin), read after; readAtMs is when the last list was answered (a hold of the run that is
# not listed must have expired by then). Fails, writing nothing, when the primary does not answer.
nemesis_collect_holds() {
  local history=$1 file=$2 primary url resources lists="" list c
  primary=$(nemesis_primary)
  url=$(node_web_url "$primary")/duplex/api
  resources=$(node_curl -fsS --max-time 5 "$url/resources") || return 1
  while read -r c; do
    [[ -n $c ]] || continue
    list=$(printf 'user = "duplex-client:%s"\n' "$(cat "$SECRETS/client-password")" \
      | node_curl -fsS --max-time 5 -K - -G --data-urlencode "clientId=$c" "$url/holds") || return 1
    lists+=$list$'\n'
  done < <(jq -rR 'fromjson? | .clientId // empty' "$history" 2>/dev/null | sort -u)
  jq -n --argjson at "$(nemesis_now_ms)" --argjson resources "$resources" --slurpfile lists <(printf '%s' "$lists") \
    '{readAtMs: $at, held: ($resources | map({(.id): (.held // 0)}) | add // {}), holds: ($lists | add // [])}' > "$file.tmp" \
    && mv "$file.tmp" "$file"
}

# ---------------------------------------------------------------- one scenario's fault schedule
# the faults a scenario name stands for, applied now (the primary is resolved at the moment of the fault)
nemesis_apply() {
  local primary
  case $1 in
    nodes-split) nemesis_fault partition "partition node-a | node-b" cmd_partition node-a node-b ;;
    split-witness-a) nemesis_fault partition "partition node-a,db-a,db-w | node-b,db-b" cmd_partition node-a,db-a,db-w node-b,db-b ;;
    split-witness-b) nemesis_fault partition "partition node-a,db-a | node-b,db-b,db-w" cmd_partition node-a,db-a node-b,db-b,db-w ;;
    split-witness-none) nemesis_fault partition "partition node-a,db-a | node-b,db-b | db-w" cmd_partition node-a,db-a node-b,db-b db-w ;;
    crossed) nemesis_fault partition "partition node-a,db-b | node-b,db-a" cmd_partition node-a,db-b node-b,db-a ;;
    primary-cut-from-data)
      primary=$(nemesis_primary)
      nemesis_fault partition "partition $primary | db-a,db-b (primary $primary cut from the data databases)" cmd_partition "$primary" db-a,db-b ;;
    witness-isolated) nemesis_fault partition "partition db-w | node-a,node-b,db-a,db-b" cmd_partition db-w node-a,node-b,db-a,db-b ;;
    slow-db)
      primary=$(nemesis_primary)
      nemesis_fault slow "slow $(node_db "$primary") 300 ms" hosts_slow "$(node_db "$primary")" 300 ;;
    kill-primary) primary=$(nemesis_primary); nemesis_fault kill "kill -9 $primary (primary)" cmd_kill "$primary" ;;
    kill-backup) primary=$(nemesis_primary); nemesis_fault kill "kill -9 $(nemesis_other "$primary") (backup)" cmd_kill "$(nemesis_other "$primary")" ;;
    pause-primary) primary=$(nemesis_primary); nemesis_fault pause "pause $primary (primary)" cmd_signal STOP "$primary" ;;
    pause-backup) primary=$(nemesis_primary); nemesis_fault pause "pause $(nemesis_other "$primary") (backup)" cmd_signal STOP "$(nemesis_other "$primary")" ;;
    kill-db-a|kill-db-b|kill-db-w) nemesis_fault kill "stop ${1#kill-} immediately" cmd_kill "${1#kill-}" ;;
    pause-db-a|pause-db-b|pause-db-w) nemesis_fault pause "pause ${1#pause-}" cmd_signal STOP "${1#pause-}" ;;
    *) die "no fault named $1" ;;
  esac
}

# can this kernel delay packets? (tc with netem on the loopback of db-a's namespace, removed at once)
nemesis_netem_reason() {
  local err ns
  ns=$(hosts_ns db-a)
  if err=$(ip netns exec "$ns" tc qdisc add dev lo root netem delay 1ms 2>&1); then
    ip netns exec "$ns" tc qdisc del dev lo root 2>/dev/null || true
    return 0
  fi
  if [[ $err == *"qdisc kind is unknown"* || $err == *"No such file"* ]]; then
    echo "kernel lacks netem (CONFIG_NET_SCH_NETEM / module sch_netem): tc says '$err'"
  else
    echo "tc cannot add a netem delay here: $err"
  fi
}

# the random mix: faults drawn from every single-fault scenario and from kills and pauses of each
# process, each held 5-20 s then healed, then 5-15 s of calm, until the length is used up
nemesis_mix_schedule() {
  local length=$1 end=$((SECONDS + $1 - 15)) choices=(nodes-split split-witness-a split-witness-b split-witness-none
    crossed primary-cut-from-data witness-isolated kill-primary kill-backup pause-primary pause-backup
    kill-db-a kill-db-b kill-db-w pause-db-a pause-db-b pause-db-w slow-db) hold calm name
  while ((SECONDS < end)); do
    # three draws per fault whatever happens, so that a seed gives the same faults in the same order
    nemesis_rand "${#choices[@]}"; name=${choices[NEMESIS_R]}
    nemesis_rand 16; hold=$((5 + NEMESIS_R))
    nemesis_rand 11; calm=$((5 + NEMESIS_R))
    if [[ $name == slow-db && $NEMESIS_NETEM != ok ]]; then
      nemesis_log "fault skipped: slow-db, not run: $NEMESIS_NETEM"
      NEMESIS_SKIPPED+=("slow-db")
      sleep "$hold"
      continue
    fi
    nemesis_apply "$name"
    sleep "$hold"
    nemesis_fault_end
    sleep "$calm"
  done
}

# ---------------------------------------------------------------- one scenario
# prints nothing useful; writes result-<scenario>.json
nemesis_scenario() {
  local s=$1 length=$2 threads=$3
  NEMESIS_SCENARIO=$s
  NEMESIS_FAULTS=()
  NEMESIS_SKIPPED=()
  NEMESIS_FAULT_START=""
  NEMESIS_SCENARIO_LOG=$NEMESIS_OUT/nemesis-$s.log
  NEMESIS_FAULTS_FILE=$NEMESIS_OUT/faults-$s.jsonl
  local history=$NEMESIS_OUT/history-$s.jsonl states=$NEMESIS_OUT/states-$s.txt result=$NEMESIS_OUT/result-$s.json
  local holds=$NEMESIS_OUT/holds-$s.json
  : > "$NEMESIS_SCENARIO_LOG"; : > "$NEMESIS_FAULTS_FILE"; : > "$states"; rm -f "$history" "$result" "$holds"
  local t0 not_run="" desc
  desc=$(nemesis_describe "$s")
  t0=$(nemesis_now_ms)
  nemesis_log "== $s: $desc ($length s of load)"
  [[ $s == random-mix ]] && nemesis_log "   seed $NEMESIS_SEED (replay: ./duplex nemesis --scenario random-mix --seed $NEMESIS_SEED --seconds $NEMESIS_SECONDS)"

  if [[ $s == slow-db && $NEMESIS_NETEM != ok ]]; then not_run=$NEMESIS_NETEM; fi
  if [[ -z $not_run ]]; then
    local sync_before
    if ! sync_before=$(nemesis_wait_sync 180); then not_run="error: the cluster was not in sync before the scenario (waited ${sync_before} s)"; fi
  fi
  if [[ -n $not_run ]]; then
    nemesis_log "   not run: $not_run"
    jq -n --arg s "$s" --arg d "$desc" --arg r "$not_run" '{scenario: $s, description: $d, status: "not run", reason: $r}' > "$result"
    return 0
  fi

  # the load, bounded: its own deadline plus the client's retry deadline, then killed
  timeout --kill-after=10 $((length + 120)) java -jar "$CLIENT_JAR" --config "$DUPLEX_HOME/client.properties" loadgen \
    --threads "$threads" --duration "$length" --cancel-percent 10 \
    --hold-percent "$NEMESIS_HOLD_PERCENT" --hold-seconds "$NEMESIS_HOLD_SECONDS" --history "$history" \
    --json "$NEMESIS_OUT/loadgen-$s.json" > "$NEMESIS_OUT/loadgen-$s.out" 2>&1 &
  NEMESIS_LOAD_PID=$!
  # the state the stores' majority names, once a second: primary changes are counted from it
  ( while :; do printf '%s %s\n' "$(nemesis_now_ms)" "$(cluster_row 2>/dev/null || echo '- - - -')" >> "$states"; sleep 1; done ) > /dev/null 2>&1 &
  NEMESIS_POLL_PID=$!

  local warm=$((length / 6)) hold=$((length / 2))
  ((warm >= 5)) || warm=5
  [[ $s != random-mix ]] || warm=10
  sleep "$warm"
  if [[ $s == random-mix ]]; then
    nemesis_mix_schedule $((length - warm))
  else
    nemesis_apply "$s"
    sleep "$hold"
    nemesis_fault_end
  fi
  local load_rc=0
  wait "$NEMESIS_LOAD_PID" || load_rc=$?
  NEMESIS_LOAD_PID=""
  nemesis_log "   load finished (exit $load_rc): $(tail -n 3 "$NEMESIS_OUT/loadgen-$s.out" | head -n 1)"

  # everything healed already; now recovery: in sync within a deadline
  local in_sync=true sync_s
  sync_s=$(nemesis_wait_sync "${NEMESIS_SYNC_DEADLINE:-150}") || in_sync=false
  kill "$NEMESIS_POLL_PID" 2>/dev/null || true; wait "$NEMESIS_POLL_PID" 2>/dev/null || true; NEMESIS_POLL_PID=""
  nemesis_log "   back in sync: $in_sync after $sync_s s"

  # the holds as the service shows them now; without them the checker fails holds-kept and never-oversold
  # for a history with acknowledged holds, saying that they are missing
  # (three tries, 2 s apart: a primary that just changed may answer not-primary for a moment)
  local holds_args=() try
  for try in 1 2 3; do
    [[ -f $history ]] && nemesis_collect_holds "$history" "$holds" 2>> "$NEMESIS_SCENARIO_LOG" && break
    ((try == 3)) || sleep 2
  done
  if [[ -f $holds ]]; then
    holds_args=(--holds "$holds")
    nemesis_log "   holds read: $(jq -r '"\(.holds | length) live hold(s) of the run, \([.held[]] | add // 0) unit(s) held"' "$holds")"
  else
    nemesis_log "   the holds could not be read from the primary (see $NEMESIS_SCENARIO_LOG)"
  fi

  local check_rc=0 verify_rc=1 deadline=$((SECONDS + 30))
  [[ -f $history ]] || : > "$history"
  # a prepared branch seen at one instant may be a live transaction between its two phases (the primary's
  # liveness tick runs every heartbeat): only one still there after the deadline is left behind
  until checker check --history "$history" "${holds_args[@]}" --json "$NEMESIS_OUT/check-$s.json" > "$NEMESIS_OUT/check-$s.txt" 2>&1; do
    check_rc=1
    jq -e '[.verdicts[] | select(.pass | not) | .property] == ["no-prepared"]' "$NEMESIS_OUT/check-$s.json" > /dev/null 2>&1 || break
    ((SECONDS < deadline)) || break
    nemesis_log "   a prepared transaction is there now; checking again (until it is finished, at most 30 s)"
    sleep 2
    check_rc=0
  done
  until checker verify > "$NEMESIS_OUT/verify-$s.txt" 2>&1; do
    ((SECONDS < deadline)) || break
    sleep 2
  done
  grep -q '^verify: databases identical' "$NEMESIS_OUT/verify-$s.txt" && verify_rc=0
  java -jar "$CHECKER_JAR" timeline --history "$history" --faults "$NEMESIS_FAULTS_FILE" \
    --png "$NEMESIS_OUT/timeline-$s.png" --json "$NEMESIS_OUT/timeline-$s.json" \
    --title "$s: acknowledged writes per second, faults shaded" >> "$NEMESIS_SCENARIO_LOG" 2>&1 \
    || nemesis_log "   (the timeline could not be drawn: see $NEMESIS_SCENARIO_LOG)"

  # primary changes: successive polls naming different primaries (a poll that saw no majority is skipped)
  local changes epochs events
  changes=$(awk '$2 != "-" { if (last != "" && $2 != last) n++; last = $2 } END { print n + 0 }' "$states")
  epochs=$(awk '$3 ~ /^[0-9]+$/ { if (first == "") first = $3; last = $3 } END { print (first == "" ? 0 : last - first) }' "$states")
  events=$(nemesis_events "$t0")
  jq -n --arg s "$s" --arg d "$desc" --argjson length "$length" --argjson threads "$threads" \
    --argjson holdPercent "$NEMESIS_HOLD_PERCENT" --argjson holdSeconds "$NEMESIS_HOLD_SECONDS" \
    --argjson holdsRead "$([[ ${#holds_args[@]} -gt 0 ]] && echo true || echo false)" \
    --arg seed "${NEMESIS_SEED:-}" --arg netem "$NEMESIS_NETEM" --argjson faults "$(printf '%s\n' "${NEMESIS_FAULTS[@]}" | jq -R . | jq -sc 'map(select(. != ""))')" \
    --argjson skipped "$(printf '%s\n' "${NEMESIS_SKIPPED[@]}" | jq -R . | jq -sc 'map(select(. != ""))')" \
    --argjson inSync "$in_sync" --argjson syncSeconds "${sync_s:-0}" --argjson checkRc "$check_rc" --argjson verifyOk "$([[ $verify_rc == 0 ]] && echo true || echo false)" \
    --argjson primaryChanges "$changes" --argjson epochChanges "$epochs" --argjson events "$events" \
    --slurpfile check <(cat "$NEMESIS_OUT/check-$s.json" 2>/dev/null || echo null) \
    --slurpfile timeline <(cat "$NEMESIS_OUT/timeline-$s.json" 2>/dev/null || echo null) '
    ($check[0]) as $c | ($timeline[0]) as $t |
    {scenario: $s, description: $d, seconds: $length, threads: $threads,
     holdPercent: $holdPercent, holdSeconds: $holdSeconds, holdsRead: $holdsRead,
     seed: (if $s == "random-mix" then $seed else null end),
     faults: $faults, faultCount: ($faults | length),
     skipped: (if ($skipped | length) > 0 then "\($skipped | length) slow-db fault(s) not run: \($netem)" else null end),
     inSync: $inSync, syncSeconds: $syncSeconds, verify: $verifyOk,
     check: (if $c == null then null else {pass: $c.pass, operations: $c.operations,
             verdicts: ($c.verdicts | map({key: .property, value: {pass, counts, examples}}) | from_entries)} end),
     primaryChanges: $primaryChanges, epochChanges: $epochChanges, events: $events,
     acknowledged: $t.acknowledged, refused: $t.refused, unknown: $t.unknown,
     longestOutageMs: $t.longestOutageMs, outageFromMs: $t.outageFromMs}
    | .status = (if (.check.pass == true) and .verify and .inSync then "pass" else "fail" end)
    | .reason = ([(if .check == null then "the checker wrote no report" elif .check.pass then empty
                   else "check: " + ([.check.verdicts | to_entries[] | select(.value.pass | not) | .key] | join(", ")) end),
                  (if .verify then empty else "verify failed" end),
                  (if .inSync then empty else "not back in sync within the deadline" end)] | join("; "))' > "$result"
  nemesis_log "   $(jq -r '"\(.status | ascii_upcase)\(if .reason != "" then " (" + .reason + ")" else "" end): \(.acknowledged) acknowledged, longest outage \(.longestOutageMs / 1000) s, \(.primaryChanges) primary change(s)"' "$result")"
}

# cluster_event rows of both data databases since the scenario started, counted by kind (a JSON object)
nemesis_events() {
  local since=$1 db rows=""
  for db in "${DATA_DATABASES[@]}"; do
    rows+=$(db_psql "$db" -At -F ' ' -c "select id, kind from cluster_event where at >= to_timestamp($since / 1000.0)" 2>/dev/null || true)
    rows+=$'\n'
  done
  sort -u <<< "$rows" | awk 'NF == 2 { print $2 }' | jq -R . | jq -sc 'group_by(.) | map({key: .[0], value: length}) | from_entries'
}

# ---------------------------------------------------------------- the report
nemesis_report() {
  local out=$NEMESIS_OUT results=$NEMESIS_OUT/results.json
  local files=() s
  for s in "$@"; do files+=("$out/result-$s.json"); done
  jq -s 'map({faultCount: 0, primaryChanges: 0, epochChanges: 0, events: {}, check: null} + .)' "${files[@]}" > "$results"
  {
    printf '# Nemesis report\n\n'
    printf 'Run %s on %s, %s s of load per scenario (%s client threads); cluster home `%s`.\n' \
      "$(date -u +%FT%TZ)" "$(uname -r)" "$NEMESIS_SECONDS" "$NEMESIS_THREADS" "$DUPLEX_HOME"
    printf 'Reproduce: `./duplex nemesis --seconds %s --scenario %s --seed %s --hold-percent %s --hold-seconds %s` (as root).\n\n' \
      "$NEMESIS_SECONDS" "$(IFS=,; echo "$*")" "$NEMESIS_SEED" "$NEMESIS_HOLD_PERCENT" "$NEMESIS_HOLD_SECONDS"
    printf '| scenario | faults | lost | holds lost | confirms wrong | doubled | oversold | identical | one writer per epoch | primary changes | longest write outage | verdict |\n'
    printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
    jq -r '.[] |
      def v(p; f): if .check == null or .check.verdicts[p] == null then "-"
        else (.check.verdicts[p]) as $x | (if $x.pass then "" else "**" end) + ($x.counts | f | tostring) + (if $x.pass then "" else "**" end) end;
      if .status == "not run" then
        "| \(.scenario) | - | - | - | - | - | - | - | - | - | - | not run: \(.reason) |"
      else
        "| \(.scenario) | \(.faultCount) | \(v("lost"; .missing)) of \(.check.verdicts.lost.counts.acknowledged // "-") | \(v("holds-kept"; .missing + ."expiry-changed" + ."released-still-live" + ."bad-reservation")) of \(.check.verdicts."holds-kept".counts.acknowledged // "-") | \(v("confirm-applied"; ."not-applied" + ."confirmed-twice")) of \(.check.verdicts."confirm-applied".counts.acknowledged // "-") | \(v("doubled"; ."repeated-operations" + ."cancelled-twice" + ."over-released")) | \(if .check.verdicts."never-oversold" != null then v("never-oversold"; .oversold + ."under-counted") else v("accounting"; .oversold) end) | \(if .check.verdicts.identical == null then "-" elif .check.verdicts.identical.pass then "yes" else "**no**" end) | \(v("one-writer-per-epoch"; ."epochs-with-two-writers")) two-writer epochs | \(.primaryChanges) (epoch +\(.epochChanges)) | \((.longestOutageMs // 0) / 100 | floor / 10) s | \(if .status == "pass" then "PASS" else "**FAIL**: " + .reason end) |"
      end' "$results"
    printf '\nColumns: *lost* missing acknowledged reservations (of all acknowledged); *holds lost* acknowledged holds neither\n'
    printf 'live with their expiry, confirmed, released nor expired at the end (of all acknowledged); *confirms wrong* acknowledged\n'
    printf 'confirms without their reservation in both databases, or holds confirmed twice; *doubled* operations applied twice,\n'
    printf 'reservations cancelled twice or released twice; *oversold* resource rows whose reserved + held exceeds capacity at\n'
    printf 'the end (or whose held counts fewer units than the live holds keep); *identical*\n'
    printf 'db-a and db-b row for row after the heal; *one writer per epoch* epochs in which two nodes committed; *primary\n'
    printf 'changes* changes of the primary seen by a once-a-second poll of the epoch stores (the epoch rose by the number in\n'
    printf 'brackets: failovers, failbacks, degrade and resync); *longest write outage* the longest time, in the history, with no\n'
    printf 'acknowledged write. A verdict is PASS when every property of `./duplex check` holds, `./duplex verify` passes and\n'
    printf 'the cluster was back in sync (both nodes serving, mode sync, no journal) within the deadline after the heal.\n\n'
    jq -r '.[] | "## \(.scenario)\n\n\((.description | .[0:1] | ascii_upcase) + (.description | .[1:])).\n" +
      (if .status == "not run" then "\nNot run: \(.reason).\n"
       else "\nFaults: \(.faults | join("; ")).\n\n" +
         (if .seed != null and .seed != "" then "Seed \(.seed).\n\n" else "" end) +
         (if .skipped != null then "\(.skipped).\n\n" else "" end) +
         "Acknowledged \(.acknowledged), refused \(.refused), unknown \(.unknown); back in sync \(.inSync) after \(.syncSeconds) s; verify \(if .verify then "passed" else "FAILED" end); events \(.events | to_entries | map("\(.key) \(.value)") | join(", ") | if . == "" then "none" else . end).\n\n" +
         (if .check == null then "" else
           "| property | verdict | counts |\n| --- | --- | --- |\n" +
           (.check.verdicts | to_entries | map("| \(.key) | \(if .value.pass then "PASS" else "**FAIL**" end) | \(.value.counts | to_entries | map("\(.key)=\(.value)") | join(" ")) |" +
              (if .value.pass or (.value.examples | length) == 0 then "" else "\n| | | e.g. " + (.value.examples[:3] | join("; ") | gsub("\\|"; "/")) + " |" end)) | join("\n")) + "\n" end) +
         "\n![\(.scenario) timeline](timeline-\(.scenario).png)\n" end)' "$results"
  } > "$out/report.md"
}

# ---------------------------------------------------------------- the command
nemesis_usage() {
  cat <<EOF
usage: ./duplex nemesis [--seconds N | --minutes N] [--scenario NAME ...] [--seed S] [--threads T] [--out DIR]
                        [--hold-percent P] [--hold-seconds S]
  Runs each scenario on the hosts cluster (started with up --hosts if needed; root): load, faults, heal,
  back in sync, the holds read, check and verify. Writes report.md, results.json and
  timeline-<scenario>.png under DIR.
options:
  --seconds N        the load of each scenario, 20..3600 (default 60; random-mix runs five times as long)
  --minutes N        the same in minutes
  --scenario NAME    repeatable, or comma-separated (default: all)
  --seed S           replays a random-mix (a whole number; default: drawn and printed)
  --threads T        client threads of the load, 1..16 (default 2)
  --out DIR          where the report goes (default target/nemesis)
  --hold-percent P   share of the load's requests that place a hold, 0..100 (default 20; 0: no holds)
  --hold-seconds S   how long each hold lasts, 1..3600 (default 20: some lapse during the run)
scenarios:
$(for s in "${NEMESIS_SCENARIOS[@]}"; do printf '  %-22s %s\n' "$s" "$(nemesis_describe "$s")"; done)
exit codes: 0 every scenario passed, 1 the suite could not run (not root, a tool missing, the cluster did
  not come up), 2 usage, 3 a scenario failed (report.md says which and why)
EOF
}

# on any exit: no load or poller left running, no link cut, no process left stopped
nemesis_on_exit() {
  [[ -n ${NEMESIS_LOAD_PID:-} ]] && kill "$NEMESIS_LOAD_PID" 2>/dev/null || true
  [[ -n ${NEMESIS_POLL_PID:-} ]] && kill "$NEMESIS_POLL_PID" 2>/dev/null || true
  local p
  if hosts_mode && [[ -f $(HOSTS_ENV) ]]; then ( cmd_heal ) > /dev/null 2>&1 || true; fi
  for p in "${DATABASES[@]}" "${NODES[@]}"; do
    if { is_db "$p" && db_paused "$p"; } || { is_node "$p" && node_paused "$p"; }; then ( cmd_signal CONT "$p" ) > /dev/null 2>&1 || true; fi
  done
}

cmd_nemesis() {
  local seconds=60 out=$ROOT/target/nemesis threads=2 seed="" scenarios=() s list minutes
  local hold_percent=20 hold_seconds=20
  while [[ $# -gt 0 ]]; do
    # every option takes a value: one that is missing, or looks like the next option, is a usage error
    case $1 in
      --seconds|--minutes|--scenario|--seed|--threads|--out|--hold-percent|--hold-seconds)
        [[ $# -ge 2 && -n $2 && $2 != -* ]] || usage_error nemesis "$1 needs a value" ;;
    esac
    case $1 in
      --seconds) seconds=$2; shift 2 ;;
      --minutes) minutes=$2
        [[ $minutes =~ ^[0-9]{1,3}$ ]] || usage_error nemesis "--minutes must be a whole number, not '$minutes'"
        seconds=$((10#$minutes * 60)); shift 2 ;;
      --scenario) IFS=, read -r -a list <<< "$2"; scenarios+=("${list[@]}"); shift 2 ;;
      --seed) seed=$2; shift 2 ;;
      --threads) threads=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      --hold-percent) hold_percent=$2; shift 2 ;;
      --hold-seconds) hold_seconds=$2; shift 2 ;;
      -h|--help) nemesis_usage; return 0 ;;
      *) usage_error nemesis "unknown argument $1" ;;
    esac
  done
  [[ $seconds =~ ^[0-9]{1,4}$ ]] && ((10#$seconds >= 20 && 10#$seconds <= 3600)) \
    || usage_error nemesis "--seconds must be 20..3600 (each scenario's load), not '$seconds'"
  [[ $threads =~ ^[0-9]{1,2}$ ]] && ((10#$threads >= 1 && 10#$threads <= 16)) || usage_error nemesis "--threads must be 1..16, not '$threads'"
  [[ -z $seed || $seed =~ ^[0-9]{1,18}$ ]] || usage_error nemesis "--seed must be a whole number, not '$seed'"
  [[ $hold_percent =~ ^[0-9]{1,3}$ ]] && ((10#$hold_percent <= 100)) || usage_error nemesis "--hold-percent must be 0..100, not '$hold_percent'"
  [[ $hold_seconds =~ ^[0-9]{1,4}$ ]] && ((10#$hold_seconds >= 1 && 10#$hold_seconds <= 3600)) \
    || usage_error nemesis "--hold-seconds must be 1..3600, not '$hold_seconds'"
  seconds=$((10#$seconds)) threads=$((10#$threads)) hold_percent=$((10#$hold_percent)) hold_seconds=$((10#$hold_seconds))
  [[ ${#scenarios[@]} -gt 0 ]] || scenarios=("${NEMESIS_SCENARIOS[@]}")
  for s in "${scenarios[@]}"; do
    nemesis_describe "$s" > /dev/null || usage_error nemesis "unknown scenario '$s' (one of: ${NEMESIS_SCENARIOS[*]})"
  done
  [[ $(id -u) -eq 0 ]] || die "./duplex nemesis needs root: it runs the cluster on separate hosts (network namespaces) and cuts links with nftables"
  local cmd
  for cmd in ip nft tc jq java timeout; do command -v "$cmd" > /dev/null || die "./duplex nemesis needs $cmd"; done
  ip netns list > /dev/null 2>&1 || die "./duplex nemesis needs network namespaces (ip netns), which this system refuses"
  if [[ -f $DUPLEX_HOME/topology.env ]] && ! hosts_mode; then
    die "$DUPLEX_HOME runs on loopback, where no link can be cut: ./duplex down, then ./duplex setup --fresh --hosts (or another DUPLEX_HOME)"
  fi

  mkdir -p "$out"
  NEMESIS_OUT=$(cd "$out" && pwd)
  NEMESIS_SECONDS=$seconds NEMESIS_THREADS=$threads NEMESIS_HOLD_PERCENT=$hold_percent NEMESIS_HOLD_SECONDS=$hold_seconds
  NEMESIS_SEED=${seed:-$(( $(date +%s%N) % 1000000 ))}
  NEMESIS_STATE=$NEMESIS_SEED
  : > "$NEMESIS_OUT/nemesis.log"
  trap nemesis_on_exit EXIT

  local node ready=true
  for node in "${NODES[@]}"; do node_serving "$node" || ready=false; done
  for s in "${DATABASES[@]}"; do db_running "$s" || ready=false; done
  if [[ $ready != true ]]; then
    nemesis_log "bringing the hosts cluster up ($DUPLEX_HOME): ./duplex up --hosts"
    DUPLEX_HOME=$DUPLEX_HOME "$ROOT/duplex" up --hosts > "$NEMESIS_OUT/up.log" 2>&1 \
      || { tail -n 20 "$NEMESIS_OUT/up.log" >&2; die "./duplex up --hosts failed: $NEMESIS_OUT/up.log"; }
    load_topology
  fi
  hosts_mode || die "the cluster of $DUPLEX_HOME is not on separate hosts"
  NEMESIS_NETEM=ok
  if [[ " ${scenarios[*]} " == *" slow-db "* || " ${scenarios[*]} " == *" random-mix "* ]]; then
    NEMESIS_NETEM=$(nemesis_netem_reason) || true
    [[ -n $NEMESIS_NETEM ]] || NEMESIS_NETEM=ok
  fi
  nemesis_log "nemesis: scenarios ${scenarios[*]}; $seconds s of load each, $threads threads, holds $hold_percent% of $hold_seconds s; seed $NEMESIS_SEED; out $NEMESIS_OUT"

  for s in "${scenarios[@]}"; do
    local length=$seconds
    [[ $s == random-mix ]] && length=$((seconds * 5))
    # a subshell: a launcher step that dies ends this scenario (recorded as an error), not the run
    if ! ( trap nemesis_on_exit EXIT; nemesis_scenario "$s" "$length" "$threads" ); then
      nemesis_log "   $s ended with an error: see $NEMESIS_OUT/nemesis-$s.log"
      [[ -f $NEMESIS_OUT/result-$s.json ]] || jq -n --arg s "$s" --arg d "$(nemesis_describe "$s")" \
        '{scenario: $s, description: $d, status: "fail", reason: "the scenario stopped with an error (nemesis-\($s).log)", faults: [], faultCount: 0}' \
        > "$NEMESIS_OUT/result-$s.json"
      nemesis_heal_all
    fi
  done
  nemesis_report "${scenarios[@]}"
  nemesis_log "report: $NEMESIS_OUT/report.md (results.json, timeline-<scenario>.png); the cluster is still up: ./duplex down"
  if jq -e 'any(.[]; .status == "fail")' "$NEMESIS_OUT/results.json" > /dev/null; then
    nemesis_log "FAILED: $(jq -r '[.[] | select(.status == "fail") | .scenario] | join(", ")' "$NEMESIS_OUT/results.json")"
    return "$EXIT_CHECK_FAILED"
  fi
}
