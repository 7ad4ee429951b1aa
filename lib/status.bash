# Duplex launcher, sourced by ./duplex: `./duplex status`, one table in the manner of `patronictl list`.
#
# Every process is a row: its kind, address, pid and state (up, down, paused, starting); a node adds its
# role, epoch and detector health from its heartbeat (answered from the detector's memory, so it is fast
# even while the databases are not), the reservation/primary binding it serves to clients included (the
# detector looks it up in its own naming); a database adds the epoch of its own
# cluster_state row and its lag (journal entries waiting for it). The cluster line above the table is the
# current state from a majority of the epoch stores, as every decision in Duplex reads it.

# a node started by someone else (the Arquillian suite) has no pid file here but may serve all the same
node_state() {
  if node_paused "$1"; then echo paused
  elif node_serving "$1"; then echo up
  elif node_alive "$1"; then echo starting
  else echo down; fi
}

# a database: paused (SIGSTOP), starting or stopping (the postmaster says so in postmaster.pid), up, down
db_state() {
  db_running "$1" || { echo down; return; }
  db_paused "$1" && { echo paused; return; }
  local pm
  pm=$(sed -n 8p "$(db_dir "$1")/data/postmaster.pid" 2>/dev/null | tr -d ' ')
  case $pm in starting|stopping) echo "$pm" ;; *) echo up ;; esac
}

# A serving node's lockouts (GET /cluster/lockouts, role admin: the credentials go to curl on stdin), as JSON
node_lockouts() {
  printf 'user = "duplex-admin:%s"\n' "$(cat "$SECRETS/admin-password")" \
    | node_curl -fsS --max-time 2 -K - "$(node_web_url "$1")/duplex/api/cluster/lockouts" 2>/dev/null
}

# The units live holds keep, per resource with any, as the node counts them (GET /resources, open to anyone), as
# one JSON object {resource: units}; the primary's view is the one that decides
node_held_units() {
  local body
  body=$(node_curl -fsS --max-time 2 "$(node_web_url "$1")/duplex/api/resources" 2>/dev/null) && [[ -n $body ]] || return 1
  jq -ce 'map(select((.held // 0) > 0) | {(.id): .held}) | add // {}' <<< "$body" 2>/dev/null
}

# A node's detector as its heartbeat reports it (200 healthy, 503 unhealthy, the same body), one JSON object
node_heartbeat() {
  local body
  body=$(node_curl -sS --max-time 2 "$(node_web_url "$1")/duplex/api/heartbeat" 2>/dev/null) || return 1
  jq -ce 'select(type == "object" and has("role"))' <<< "$body" 2>/dev/null
}

cmd_status() {
  local json=false a
  for a in "$@"; do
    case $a in --json) json=true ;; *) usage_error status "unknown argument $a" ;; esac
  done
  [[ -f $DUPLEX_HOME/topology.env ]] || die "no cluster here yet: ./duplex up"
  local primary="" epoch=0 row mode=sync lagging="-" db node depth tmp p s
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/duplex-status.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  declare -A state=()
  for node in "${NODES[@]}"; do state[$node]=$(node_state "$node"); done
  read_store_rows
  if row=$(current_store_row); then read -r primary epoch mode lagging <<< "$row"; fi
  # under policy strict the databases stay in sync mode while one is down; writes are refused then
  for db in "${DATA_DATABASES[@]}"; do db_running "$db" || mode=degraded; done
  depth=$(journal_depth)
  for node in "${NODES[@]}"; do
    [[ ${state[$node]} == up ]] && node_heartbeat "$node" > "$tmp/heartbeat-$node" || true
  done
  # one JSON object per process: the rows of the table, and "processes" in --json
  local procs="{}" hb pid host port kind role e lag
  for node in "${NODES[@]}"; do
    hb=$(cat "$tmp/heartbeat-$node" 2>/dev/null || true)
    pid=$(node_pid "$node" 2>/dev/null || true)
    procs=$(jq -c --arg n "$node" --arg host "$(proc_host "$node")" --argjson port "$(node_http_port "$node")" \
      --argjson mgmt "$(node_mgmt_port "$node")" --arg pid "$pid" --arg s "${state[$node]}" \
      --argjson hb "${hb:-null}" '
      . + {($n): {kind: "node", host: $host, port: $port, managementPort: $mgmt,
        pid: (if $pid == "" then null else ($pid | tonumber) end), state: $s,
        role: $hb.role, epoch: $hb.epoch, binding: $hb.binding,
        detector: (if $hb == null then null else {healthy: $hb.healthy, reason: $hb.unhealthyReason} end),
        peer: $hb.peer, peerRoundTripMs: (if ($hb.peerRoundTripMs // -1) < 0 then null else $hb.peerRoundTripMs end)}}' \
      <<< "$procs")
  done
  for db in "${DATABASES[@]}"; do
    kind=database; role=current; lag=0
    [[ $db == db-w ]] && { kind=witness; role=witness; lag=null; }
    [[ $db == "$lagging" ]] && { role=lagging; lag=$depth; }
    e=${STORE_ROW[$db]:-}; e=${e#* }; e=${e%% *}
    procs=$(jq -c --arg n "$db" --arg kind "$kind" --arg host "$(proc_host "$db")" --argjson port "$(db_port "$db")" \
      --arg pid "$(db_pid "$db" 2>/dev/null || true)" --arg s "$(db_state "$db")" --arg role "$role" --arg e "$e" \
      --argjson lag "$lag" '
      . + {($n): {kind: $kind, host: $host, port: $port, pid: (if $pid == "" then null else ($pid | tonumber) end),
        state: $s, role: (if $s == "down" then null else $role end), epoch: (if $e == "" then null else ($e | tonumber) end),
        lag: $lag}}' <<< "$procs")
  done

  local locks_json="{}" l held_json=null
  for node in "${NODES[@]}"; do
    if [[ ${state[$node]} == up ]] && l=$(node_lockouts "$node"); then
      locks_json=$(jq -c --arg n "$node" --argjson l "$l" '. + {($n): $l}' <<< "$locks_json")
    fi
  done
  if [[ -n $primary && ${state[$primary]:-} == up ]]; then held_json=$(node_held_units "$primary") || held_json=null; fi
  [[ -n $held_json ]] || held_json=null

  if $json; then
    local nodes_json="{}" dbs_json="{}"
    for node in "${NODES[@]}"; do
      s=${state[$node]}; [[ $s == up ]] || s=down
      nodes_json=$(jq -c --arg n "$node" --arg s "$s" '. + {($n): $s}' <<< "$nodes_json")
    done
    for db in "${DATABASES[@]}"; do
      if db_running "$db"; then s=up; else s=down; fi
      dbs_json=$(jq -c --arg n "$db" --arg s "$s" --arg h "$(proc_host "$db")" --argjson p "$(db_port "$db")" \
        --arg d "$DB_NAME" --arg u "$DB_USER" --arg f "$SECRETS/db-password" \
        '. + {($n): {state: $s, host: $h, port: $p, database: $d, user: $u, passwordFile: $f}}' <<< "$dbs_json")
    done
    jq -n --arg primary "$primary" --argjson epoch "$epoch" --arg mode "$mode" --arg lagging "$lagging" \
      --argjson depth "$depth" --argjson nodes "$nodes_json" --argjson databases "$dbs_json" --argjson locks "$locks_json" \
      --argjson held "$held_json" --argjson processes "$procs" \
      '{primary: (if $primary == "" then null else $primary end), epoch: $epoch, mode: $mode,
        lagging: (if $lagging == "-" then null else $lagging end), journal: $depth, nodes: $nodes, databases: $databases,
        lockouts: ($locks | map_values(.locked)), held: $held, processes: $processes}'
    return 0
  fi

  say "Duplex cluster ($DUPLEX_HOME): primary ${primary:-unknown}, epoch $([[ -n $row ]] && echo "$epoch" || echo unknown), replication $mode$([[ $lagging != - ]] && echo " ($lagging lagging, $depth journal entries waiting)")"
  [[ -n $row ]] || say "  no majority of the epoch stores answers: the primary and epoch above are unknown"
  status_table "$procs" "$primary" "$epoch"
  status_notes "$procs" "$primary" "$epoch"
  say "  web: $(web_scheme) on the addresses above (dashboard /duplex/, REST /duplex/api); management (health, metrics):$(for node in "${NODES[@]}"; do printf ' %s %s:%s' "$node" "$(proc_host "$node")" "$(node_mgmt_port "$node")"; done)"
  if [[ $held_json != null ]]; then
    jq -r 'if length == 0 then "  held: no units held (holds: ./duplex client hold|confirm|release|holds)"
      else "  held: " + (to_entries | map("\(.key) \(.value)") | join(", ")) + " units, by live holds on the primary" end' <<< "$held_json"
  fi
  jq -r 'to_entries[] | .key as $n | .value | if (.locked | length) == 0 then
      "  \($n): no user locked out (\(.maxFailedAttempts) failed logins lock a user for \(.lockoutMinutes) min)"
    else .locked[] | "  \($n): user \(.identity) LOCKED OUT until \(.until) (\(.failures) failed logins; each new attempt restarts the lockout)" end' \
    <<< "$locks_json"
  hosts_status
}

# the processes as a table with borders, patronictl's way: Member, Kind, Address, PID, State, Role, Epoch,
# Binding, Detector, Lag; "-" where a column does not apply, blank where it is unknown now
status_table() {
  jq -r '["Member", "Kind", "Address", "PID", "State", "Role", "Epoch", "Binding", "Detector", "Lag"],
    (to_entries[] | .key as $n | .value |
      [$n, .kind, "\(.host):\(.port)", (.pid // "" | tostring), .state, (.role // ""), (.epoch // "" | tostring),
       (if .kind != "node" then "-" elif .binding == null then "" else "\(.binding.node)@\(.binding.epoch)" end),
       (if .kind != "node" then "-" elif .detector == null then "" elif .detector.healthy then "healthy" else "UNHEALTHY" end),
       (if .kind == "node" or .lag == null then "-" else (.lag | tostring) end)])
    | @tsv' <<< "$1" | awk -F '\t' '
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } rows = NR; cols = NF }
    function rule(   i, s) { s = "+"; for (i = 1; i <= cols; i++) { s = s sprintf("%s+", dashes(w[i] + 2)) } print s }
    function dashes(n,   s) { s = ""; while (n-- > 0) s = s "-"; return s }
    function line(r,   i, s, right) {
      s = "|"
      for (i = 1; i <= cols; i++) {
        right = (i == 4 || i == 7 || i == 10) && r > 1
        s = s " " (right ? sprintf("%" w[i] "s", cell[r, i]) : sprintf("%-" w[i] "s", cell[r, i])) " |"
      }
      print s
    }
    END { rule(); line(1); rule(); for (r = 2; r <= rows; r++) line(r); rule() }'
}

# what the table cannot say in a cell: why a detector is unhealthy, a binding that is not the current state
status_notes() {
  jq -r --arg primary "$2" --argjson epoch "$3" 'to_entries[] | .key as $n | .value |
    (if .state == "paused" then "  \($n) is paused (SIGSTOP): ./duplex resume \($n)" else empty end),
    (if .kind != "node" then empty else
      (if .detector != null and (.detector.healthy | not) then "  \($n) detector unhealthy: \(.detector.reason)" else empty end),
      (if .binding != null and $primary != "" and (.binding.node != $primary or .binding.epoch != $epoch)
       then "  \($n) binds reservation/primary to \(.binding.node)@\(.binding.epoch), the stores say \($primary)@\($epoch) (its detector rebinds within a round)"
       else empty end),
      (if .detector != null and .binding == null then "  \($n) binds nothing at reservation/primary yet" else empty end),
      (if .state == "up" and .detector == null then "  \($n) heartbeat: no answer within 2 s" else empty end)
    end)' <<< "$1"
}
