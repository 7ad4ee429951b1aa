# Duplex launcher, sourced by ./duplex: what each command takes, for `--help` and for usage errors.
#
# Every command answers -h/--help with its usage, arguments, options and exit codes (exit 0), before it
# reads the topology or touches anything; a bad command line prints that usage on stderr and exits 2.

# exit codes of every command; docs/operating.md#exit-codes says the same
EXIT_OK=0 EXIT_FAILED=1 EXIT_USAGE=2 EXIT_CHECK_FAILED=3 EXIT_TIMED_OUT=4

# name#synopsis#one line: the commands of `./duplex help`, in the order an operator meets them
LAUNCHER_COMMANDS=(
  "up#up [--hosts]#build what is missing, start db-a, db-b, db-w, node-a, node-b, deploy, seed the inventory"
  "status#status [--json]#one table: each process, its state, role, epoch, binding, detector health, lag"
  "down#down#stop everything up started, by process id"
  "kill#kill NAME#kill -9 a node, or stop a database immediately"
  "pause#pause NAME#SIGSTOP a node, or a database with all its backends (a hung server)"
  "resume#resume NAME#SIGCONT what pause stopped"
  "start#start NAME#start one stopped node or database again; a node rejoins and is waited for"
  "switchover#switchover [NODE] [--json]#planned handover to the other node (or NODE); clients see no error"
  "verify#verify [--expect F] [--json]#check the invariants over db-a, db-b, db-w; exit 3 on any difference"
  "check#check --history F... [--json R]#judge loadgen histories against the databases, Jepsen-style"
  "client#client [--as USER] COMMAND ...#the duplex-client command line (reserve, cancel, holds, loadgen ...)"
  "user#user add NAME [--role client|admin]#an application user of its own for one client application"
  "demo#demo#the tour: up, load, kill the primary, failover, restart, failback, verify, report"
  "bench#bench [--quick] [--parts P,...]#the benchmarks on a throw-away cluster of their own"
  "partition#partition GROUP GROUP...#hosts mode: drop every packet between the groups"
  "heal#heal#hosts mode: restore every link (undo partition and slow)"
  "slow#slow NAME MS#hosts mode: delay every packet NAME sends by MS ms; 0 removes the delay"
  "nemesis#nemesis [--seconds N] [--scenario S...] ...#hosts mode, root: faults under load, then check and verify"
  "setup#setup [--fresh] [--no-deploy] [--hosts]#databases and node directories only (what up and the test suite share)"
  "help#help [COMMAND]#this list, or one command's usage"
)

is_command() {
  local c
  for c in "${LAUNCHER_COMMANDS[@]}"; do [[ ${c%%#*} == "$1" ]] && return 0; done
  return 1
}

usage() {
  local c rest synopsis summary
  printf 'usage: ./duplex COMMAND [ARGUMENTS] [--help]\n\ncommands:\n'
  for c in "${LAUNCHER_COMMANDS[@]}"; do
    rest=${c#*#}; synopsis=${rest%%#*}; summary=${rest#*#}
    if ((${#synopsis} <= 34)); then printf '  %-34s %s\n' "$synopsis" "$summary"
    else printf '  %s\n  %-34s %s\n' "$synopsis" "" "$summary"; fi
  done
  cat <<EOF

NAME is node-a, node-b, db-a, db-b or db-w. ./duplex COMMAND --help shows a command's arguments and options.
exit codes: 0 done, 1 failure, 2 usage, 3 check failed (verify or check found a difference),
            4 timed out (a wait hit its deadline); client passes duplex-client's codes through (docs/operating.md)
EOF
}

# the exit code lines most commands share
help_exits() { printf 'exit codes: 0 %s, 1 %s, 2 usage%s\n' "$1" "$2" "${3:+, $3}"; }

NAME_ARG="  NAME          node-a, node-b (WildFly nodes), db-a, db-b (data databases) or db-w (the witness)"

command_help() {
  case $1 in
    up) cat <<EOF
usage: ./duplex up [--hosts]
  Builds what is missing (mvn -B install -DskipTests), provisions WildFly, starts db-a, db-b, db-w, then
  node-a and node-b, deploys duplex.ear, waits until both serve, creates the default inventory and prints
  where everything is. Each long step prints its own elapsed time. Run twice, it starts only what is down.
options:
  --hosts       each process in a network namespace of its own on a bridge, 198.18.0.0/24 (root);
                needed by partition, heal, slow and nemesis
environment:
  DUPLEX_HOME (default target/duplex), DUPLEX_TLS=on|off, DUPLEX_FAILBACK=auto|manual,
  DUPLEX_REPLICATION_POLICY=nofail|strict, DUPLEX_BOOT_TIMEOUT (s, default 180), DUPLEX_*_PORT, DUPLEX_NODE_*_OFFSET
$(help_exits "the cluster serves" "a build, a database or a node failed (its log is named)" "4 a node did not serve within DUPLEX_BOOT_TIMEOUT")
EOF
    ;;
    status) cat <<EOF
usage: ./duplex status [--json]
  One table, in the manner of patronictl list: each process with its kind, address, pid and state (up,
  down, paused, starting); for a node its role, epoch, the reservation/primary binding it serves, its
  detector's health and its view of the peer; for a database the epoch of its cluster_state row and its
  lag (journal entries waiting for it). Above the table: the cluster's primary, epoch and replication mode
  from a majority of the epoch stores; below it: units held, users locked out, and in hosts mode the links.
options:
  --json        the same as one JSON object: primary, epoch, mode, lagging, journal, nodes (name -> up/down),
                databases (name -> state, host, port, database, user, passwordFile, pid, epoch, lag), lockouts,
                held, and processes (every process: kind, host, port, pid, state; a node also role, epoch,
                binding, detector, peer)
$(help_exits "printed" "no cluster set up in DUPLEX_HOME")
EOF
    ;;
    down) cat <<EOF
usage: ./duplex down
  Stops what up started, by the process ids it recorded: the backup first, then the primary (so nobody
  fails over on the way down), then the databases (fast shutdown); in hosts mode it removes the namespaces.
$(help_exits "stopped (or nothing was running)" "a process or a network object could not be removed")
EOF
    ;;
    kill) cat <<EOF
usage: ./duplex kill NAME
  Kills one process hard: kill -9 of a node's JVM, an immediate stop (pg_ctl -m immediate) of a database.
arguments:
$NAME_ARG
$(help_exits "killed" "NAME is not running")
EOF
    ;;
    pause|resume) cat <<EOF
usage: ./duplex pause NAME | ./duplex resume NAME
  SIGSTOP / SIGCONT of a node's JVM, or of a database's postmaster and every backend it forked: a hung
  server, whose connections stay open and never answer. status shows a paused process as paused.
arguments:
$NAME_ARG
$(help_exits "signalled" "NAME is not running")
EOF
    ;;
    start) cat <<EOF
usage: ./duplex start NAME
  Starts one stopped process again. A node rejoins as the design says (as backup, catching up; failback
  follows its policy) and is waited for until it serves; a database is waited for until it accepts connections.
arguments:
$NAME_ARG
$(help_exits "started (or already running)" "it did not start (its log is named)" "4 a node did not serve within DUPLEX_BOOT_TIMEOUT")
EOF
    ;;
    switchover) cat <<EOF
usage: ./duplex switchover [NODE] [--json]
  Planned handover: asks NODE (default: the node that is not primary) to take over; it waits for the
  writes in flight, moves the epoch in a majority of the stores and rebinds reservation/primary
  everywhere. Clients see no error.
arguments:
  NODE          node-a or node-b (default: the other one)
options:
  --json        the result as one JSON object: from, to, epoch, result, ms, changed (false when NODE was primary)
$(help_exits "NODE is primary" "no majority of the stores answers, NODE does not serve, or it refused" "4 NODE did not answer within 30 s")
EOF
    ;;
    verify) cat <<EOF
usage: ./duplex verify [--expect LOADGEN.JSON] [--json]
  Checks the invariants of DESIGN.md over db-a, db-b and the witness db-w: resource, reservation and
  inventory_operation identical row by row in both data databases; reserved = sum of active reservations
  <= capacity; one reservation per (client_id, operation_id); no prepared transaction in any store; the
  three stores agreeing on the state; no journal entry in sync mode. One ok/FAIL line per check, then
  "verify: databases identical" or "verify: DIFFERENCES FOUND". A store that does not answer is a FAIL.
options:
  --expect F    a loadgen result (client loadgen --json F): each data database holds exactly its acknowledged
                reservations for its client ids
  --json        the result as one JSON object: identical (true/false), verdict, checks [{ok, check, details}]
$(help_exits "every invariant holds" "the checker could not run" "3 a difference was found (printed)")
EOF
    ;;
    check) cat <<EOF
usage: ./duplex check --history FILE [--history FILE...] [--holds FILE] [--json REPORT]
  Jepsen-style: judges whole loadgen histories (client loadgen --history FILE) against the stores after a
  run and a heal: lost, doubled, refused-present, unknown-at-most-once, accounting, cancel-applied,
  identical, no-prepared, one-writer-per-epoch, stores-answered, and for runs that placed holds
  (loadgen --hold-percent) holds-kept, confirm-applied, never-oversold. One line per property.
options:
  --history F   a history written by loadgen --history; several runs may be given
  --holds F     the holds read after the heal, {readAtMs, held, holds} as ./duplex nemesis writes them
                (holds-<scenario>.json); needed when the histories hold acknowledged holds
  --json R      also write the verdicts as JSON to R
$(help_exits "every property holds" "the checker could not run" "3 a property failed (printed)")
EOF
    ;;
    client) cat <<EOF
usage: ./duplex client [--as USER] COMMAND [OPTIONS]
  The duplex-client command line (client/target/duplex-client.jar), configured for this cluster: it reaches
  the nodes only through JNDI and remote EJB. create-resource and seed run as duplex-admin, the rest as
  duplex-client. ./duplex client COMMAND --help shows one command's options.
options:
  --as USER     as a user made by ./duplex user add (its own identity, its own client ids USER:...)
commands: reserve, cancel, get, list, resources, create-resource, seed, primary, hold, confirm, release,
  holds, loadgen (docs/operating.md)
exit codes (duplex-client's own): 0 done, 1 failure, 2 usage, 3 refused by the service, 4 gave up after the
  retry deadline, 5 user or password refused, or the node's certificate not trusted
EOF
      if [[ -f $CLIENT_JAR ]]; then printf '\n'; java -jar "$CLIENT_JAR" --help 2>&1 || true; fi
    ;;
    user) cat <<EOF
usage: ./duplex user add NAME [--role client|admin]
  An application user of its own for one client application: password generated into
  DUPLEX_HOME/secrets/users/NAME-password, added to each node's realm files (as add-user.sh writes them;
  a serving node re-reads them), client config in DUPLEX_HOME/users/NAME.properties. It acts only for
  client ids NAME:...; a lockout after failed logins hits only it.
arguments:
  NAME          1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit
options:
  --role R      client (default) or admin (client and admin)
$(help_exits "added" "no cluster here, the user exists, or a node's realm files are missing")
EOF
    ;;
    demo) cat <<EOF
usage: ./duplex demo
  The newcomer's tour: up, 45 s of load by 4 client threads, kill -9 of the primary node-a, failover to
  node-b, restart of node-a, failback, verify of every acknowledged reservation, a short report. The
  cluster stays up afterwards (./duplex down). Writes its files under DUPLEX_HOME/demo.
$(help_exits "the tour ran and the databases are identical" "a step failed" "3 verify found a difference, 4 a wait hit its deadline")
EOF
    ;;
    bench) cat <<EOF
usage: ./duplex bench [--quick] [--parts PART[,PART...]]
  The benchmarks, on a throw-away cluster of their own (target/bench/cluster, databases on 5463-5465, nodes
  at port offsets 500/600), stopped afterwards: results.md, results.json and charts in target/bench.
options:
  --quick       shorter windows and fewer runs (about 4 minutes instead of 11)
  --parts P,... only these parts: ${BENCH_PARTS[*]}
$(help_exits "the benchmarks ran" "a build, the cluster or a benchmark failed")
EOF
    ;;
    partition) cat <<EOF
usage: ./duplex partition GROUP GROUP...
  Hosts mode (up --hosts, root): drops every packet between the groups, both ways (nftables, a lost cable,
  not a refusal); replaces any earlier cut. Processes in no group stay connected to everyone.
arguments:
  GROUP         names joined by commas, from node-a, node-b, db-a, db-b, db-w and host (the client side),
                e.g. ./duplex partition node-a,db-a node-b,db-b,db-w
$(help_exits "the cut is in place" "not in hosts mode, not root, or nft missing")
EOF
    ;;
    heal) cat <<EOF
usage: ./duplex heal
  Hosts mode: restores every link, undoing partition and slow.
$(help_exits "healed (or nothing to heal)" "not in hosts mode or not root")
EOF
    ;;
    slow) cat <<EOF
usage: ./duplex slow NAME MS
  Hosts mode: every packet NAME sends waits MS ms (netem on its link), so each round trip with it takes MS
  longer; 0 removes the delay.
arguments:
$NAME_ARG
  MS            0 to 60000
$(help_exits "delayed" "not in hosts mode, not root, or no netem in this kernel")
EOF
    ;;
    nemesis) nemesis_usage ;;
    setup) cat <<EOF
usage: ./duplex setup [--fresh] [--no-deploy] [--hosts]
  What up and the test suite share: secrets, TLS material, the three databases initialised, started and
  migrated, the node directories; no node is started.
options:
  --fresh       stop what runs in DUPLEX_HOME and remove it first
  --no-deploy   do not copy duplex.ear into the nodes (the Arquillian suite deploys it)
  --hosts       separate hosts (network namespaces; root)
$(help_exits "set up" "a database did not start or a migration failed")
EOF
    ;;
    help) cat <<EOF
usage: ./duplex help [COMMAND]
  Lists every command with one line each, or prints COMMAND's usage (the same as ./duplex COMMAND --help).
exit codes: 0 printed, 2 usage (an unknown COMMAND)
EOF
    ;;
  esac
}

# the usage of the command being run, on stderr, after what was wrong; exit 2
usage_error() {
  local cmd=$1; shift
  printf 'duplex %s: %s\n' "$cmd" "$*" >&2
  command_help "$cmd" >&2
  exit "$EXIT_USAGE"
}

# does this command line ask for help? client passes its arguments on, so only its first one counts
wants_help() {
  local cmd=$1 a; shift
  if [[ $cmd == client ]]; then [[ ${1:-} == -h || ${1:-} == --help ]]; return; fi
  for a in "$@"; do [[ $a == -h || $a == --help ]] && return 0; done
  return 1
}
