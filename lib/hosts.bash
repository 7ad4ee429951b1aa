# Duplex launcher, sourced by ./duplex: separate hosts and the network nemesis.
#
# `./duplex up --hosts` puts db-a, db-b, db-w, node-a and node-b each in a network namespace of its
# own, joined by a Linux bridge through veth pairs, addresses from 198.18.0.0/24 (reserved for
# benchmark networks), no default route and no forwarding out: a five-host network that only this
# machine sees, where a link can be cut. The host side of the bridge (loadgen, verify, psql) holds
# the .1 address. Every object made here is named with the project prefix and recorded in
# $DUPLEX_HOME/hosts.env before it is made, so `./duplex down` deletes exactly those, by name, even
# after the launcher crashed half-way; nothing is ever deleted by a pattern.
#
# The nemesis: `partition` drops packets between groups with nftables, in a bridge-family table of
# the project's own (dropped, not refused: a lost cable); `heal` deletes that table; `slow` delays one
# host's outgoing packets with netem on its end of the link.

# called by load_topology, after topology.env: a home set up with --hosts stays on its hosts
hosts_load() {
  HOSTS_PREFIX=${DUPLEX_HOSTS_PREFIX:-dplx}
  HOSTS_NET=${DUPLEX_HOSTS_NET:-198.18.0}
}

# the last octet of each process's address; .1 is the host side of the bridge
hosts_octet() {
  case $1 in
    db-a) echo 11 ;; db-b) echo 12 ;; db-w) echo 13 ;; node-a) echo 21 ;; node-b) echo 22 ;; host) echo 1 ;;
    *) die "unknown process $1 (node-a, node-b, db-a, db-b, db-w)" ;;
  esac
}

hosts_mode() { [[ ${DUPLEX_HOSTS:-0} == 1 ]]; }

# the address a process listens on and is reached at: its namespace's in hosts mode, else $HOST
proc_host() {
  if hosts_mode; then echo "$HOSTS_NET.$(hosts_octet "$1")"; else echo "$HOST"; fi
}

hosts_ns() { echo "$HOSTS_PREFIX-$1"; }
# the host side of a process's veth pair (the namespace side is eth0 inside it); at most 15 characters
hosts_link() { echo "$HOSTS_PREFIX-$1"; }
hosts_bridge() { echo "$HOSTS_PREFIX-br0"; }
hosts_nft_table() { echo "${HOSTS_PREFIX//-/_}_nemesis"; }
HOSTS_PROCS=(db-a db-b db-w node-a node-b)

hosts_ns_exists() { [[ -e /run/netns/$1 ]]; }
hosts_link_exists() { ip link show dev "$1" > /dev/null 2>&1; }
hosts_nft_exists() { command -v nft > /dev/null && nft list table bridge "$1" > /dev/null 2>&1; }

# runs a command in a process's namespace (hosts mode) or as it is (loopback)
in_proc() {
  local name=$1; shift
  if hosts_mode; then
    local ns
    ns=$(hosts_ns "$name")
    hosts_ns_exists "$ns" || die "network namespace $ns of $name does not exist (./duplex up --hosts makes it)"
    ip netns exec "$ns" "$@"
  else
    "$@"
  fi
}

hosts_require_root() {
  [[ $(id -u) -eq 0 ]] || die "$1 needs root: it makes network namespaces, a bridge and veth links (run as root, or use the loopback default without --hosts)"
  command -v ip > /dev/null || die "$1 needs the ip command (Debian package iproute2)"
}

hosts_check_names() {
  [[ ${#HOSTS_PREFIX} -le 8 && $HOSTS_PREFIX =~ ^[a-z][a-z0-9-]*$ ]] || die "DUPLEX_HOSTS_PREFIX must be 1-8 of [a-z0-9-], starting with a letter"
  [[ $HOSTS_NET =~ ^198\.1[89]\.[0-9]{1,3}$ ]] || die "DUPLEX_HOSTS_NET must be three octets inside 198.18.0.0/15 (the range reserved for test networks), e.g. 198.18.0"
}

# the lines save_topology records, so that every later command uses the same addresses
hosts_topology() {
  hosts_mode || return 0
  local p
  printf 'DUPLEX_HOSTS=1\nDUPLEX_HOSTS_PREFIX=%s\nDUPLEX_HOSTS_NET=%s\n' "$HOSTS_PREFIX" "$HOSTS_NET"
  for p in "${HOSTS_PROCS[@]}"; do printf '# %s at %s in namespace %s\n' "$p" "$(proc_host "$p")" "$(hosts_ns "$p")"; done
}

# ./duplex setup --hosts on a home first set up on loopback: its databases listen on $HOST
hosts_check_home() {
  [[ -f $DUPLEX_HOME/topology.env ]] || return 0
  if [[ $1 == 1 ]] && ! grep -q '^DUPLEX_HOSTS=1' "$DUPLEX_HOME/topology.env" && [[ -d $DUPLEX_HOME/db ]]; then
    die "$DUPLEX_HOME was set up on loopback; for separate hosts start afresh: ./duplex setup --fresh --hosts (or another DUPLEX_HOME)"
  fi
}

HOSTS_ENV() { echo "$DUPLEX_HOME/hosts.env"; }

# writes down every name before anything is made: a crash in between leaves a list down can follow
hosts_record() {
  local p namespaces="" links=""
  for p in "${HOSTS_PROCS[@]}"; do namespaces+="$(hosts_ns "$p") "; links+="$(hosts_link "$p") "; done
  mkdir -p "$DUPLEX_HOME"
  cat > "$(HOSTS_ENV)" <<EOF
# network objects made by ./duplex up --hosts for this home; ./duplex down deletes exactly these, by name
HOSTS_BRIDGE=$(hosts_bridge)
HOSTS_NAMESPACES="${namespaces% }"
HOSTS_LINKS="${links% }"
HOSTS_NFT_TABLE=$(hosts_nft_table)
HOSTS_NET=$HOSTS_NET
EOF
}

# is this object one that this home recorded? (another home's, or someone else's, is never touched)
hosts_recorded() {
  local kind=$1 name=$2
  [[ -f $(HOSTS_ENV) ]] || return 1
  (
    # shellcheck disable=SC1090
    source "$(HOSTS_ENV)"
    case $kind in
      ns) [[ " $HOSTS_NAMESPACES " == *" $name "* ]] ;;
      link) [[ " $HOSTS_LINKS " == *" $name "* || $HOSTS_BRIDGE == "$name" ]] ;;
    esac
  )
}

# makes what is missing of the five hosts and their bridge; keeps what exists (a restart after down
# of the processes only, or up run twice); refuses objects of the same names that are not this home's
hosts_up() {
  hosts_require_root "./duplex up --hosts"
  hosts_check_names
  local p ns link bridge gw routed
  bridge=$(hosts_bridge); gw=$(proc_host host)
  for p in "${HOSTS_PROCS[@]}"; do
    ns=$(hosts_ns "$p"); link=$(hosts_link "$p")
    if hosts_ns_exists "$ns" && ! hosts_recorded ns "$ns"; then
      die "network namespace $ns exists but is not this home's ($DUPLEX_HOME): another cluster in hosts mode? Its ./duplex down removes it; or set DUPLEX_HOSTS_PREFIX and DUPLEX_HOSTS_NET"
    fi
    if hosts_link_exists "$link" && ! hosts_recorded link "$link"; then die "a link named $link exists and is not this home's"; fi
  done
  if hosts_link_exists "$bridge" && ! hosts_recorded link "$bridge"; then die "a link named $bridge exists and is not this home's"; fi
  routed=$(ip -4 -o route show to exact "$HOSTS_NET.0/24" | grep -v " dev $bridge " || true)
  [[ -z $routed ]] || die "$HOSTS_NET.0/24 is already routed here ($routed); choose another with DUPLEX_HOSTS_NET"
  hosts_record
  step "separate hosts: bridge $bridge $gw/24, a network namespace per process, no route out"
  if ! hosts_link_exists "$bridge"; then
    ip link add "$bridge" type bridge
  fi
  ip addr replace "$gw/24" dev "$bridge"
  ip link set "$bridge" up
  for p in "${HOSTS_PROCS[@]}"; do
    ns=$(hosts_ns "$p"); link=$(hosts_link "$p")
    hosts_ns_exists "$ns" || ip netns add "$ns"
    ip -n "$ns" link set lo up
    if ! hosts_link_exists "$link"; then
      # a namespace left with an eth0 whose peer is gone has none: the pair dies with either end
      ip link add "$link" type veth peer name eth0 netns "$ns"
    fi
    ip link set "$link" master "$bridge" up
    ip -n "$ns" addr replace "$(proc_host "$p")/24" dev eth0
    ip -n "$ns" link set eth0 up
    say "    $p: $(proc_host "$p") in namespace $ns (link $link)"
  done
}

# deletes, by the names hosts.env recorded, what exists of them; what does not exist is skipped
hosts_down() {
  [[ -f $(HOSTS_ENV) ]] || return 0
  [[ $(id -u) -eq 0 ]] || die "$(HOSTS_ENV) lists network namespaces and links to remove, which needs root"
  local HOSTS_BRIDGE HOSTS_NAMESPACES HOSTS_LINKS HOSTS_NFT_TABLE HOSTS_NET=$HOSTS_NET removed=() ns link pids
  # shellcheck disable=SC1090
  source "$(HOSTS_ENV)"
  if hosts_nft_exists "$HOSTS_NFT_TABLE"; then nft delete table bridge "$HOSTS_NFT_TABLE"; removed+=("nft table bridge $HOSTS_NFT_TABLE"); fi
  for link in $HOSTS_LINKS; do
    if hosts_link_exists "$link"; then ip link del "$link"; removed+=("$link"); fi
  done
  for ns in $HOSTS_NAMESPACES; do
    if hosts_ns_exists "$ns"; then
      pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
      [[ -z $pids ]] || say "    warning: processes still in $ns (pids $pids): they keep an unnamed namespace, with no link out"
      ip netns del "$ns"; removed+=("namespace $ns")
    fi
  done
  if hosts_link_exists "$HOSTS_BRIDGE"; then ip link del "$HOSTS_BRIDGE"; removed+=("bridge $HOSTS_BRIDGE"); fi
  rm -f "$(HOSTS_ENV)"
  if [[ ${#removed[@]} -gt 0 ]]; then say "removed ${removed[*]}"; fi
}

# databases in hosts mode are reached from the other namespaces and the bridge, not from loopback
hosts_pg_hba() {
  hosts_mode || return 0
  printf '# Duplex separate hosts: the nodes and the host side of the bridge\nhost all all %s.0/24 scram-sha-256\n' "$HOSTS_NET" >> "$1"
}

hosts_require_mode() {
  hosts_mode || die "$1 needs separate hosts: this cluster runs on loopback ($HOST), where no link can be cut; start one with ./duplex up --hosts"
  [[ $(id -u) -eq 0 ]] || die "$1 needs root"
}

hosts_valid_member() {
  [[ $1 == host ]] && return 0
  local p
  for p in "${HOSTS_PROCS[@]}"; do [[ $1 == "$p" ]] && return 0; done
  return 1
}

# ./duplex partition GROUP GROUP...: replaces any earlier cut, atomically (one nft transaction)
cmd_partition() {
  # the command line first (a mistake in it is exit 2 wherever it is run), then the host's abilities
  [[ $# -ge 2 ]] || usage_error partition "at least two groups"
  local table groups=() seen=" " g m i j addrs=() rules="" named members
  for g in "$@"; do
    IFS=, read -r -a members <<< "$g"
    [[ ${#members[@]} -gt 0 ]] || usage_error partition "empty group in: $*"
    for m in "${members[@]}"; do
      hosts_valid_member "$m" || usage_error partition "unknown process $m in group $g"
      [[ $seen != *" $m "* ]] || usage_error partition "$m is in more than one group"
      seen+="$m "
    done
  done
  hosts_require_mode "./duplex partition"
  command -v nft > /dev/null || die "./duplex partition needs nft (Debian package nftables)"
  table=$(hosts_nft_table)
  for g in "$@"; do
    local list=""
    IFS=, read -r -a members <<< "$g"
    for m in "${members[@]}"; do list+="$(proc_host "$m"), "; done
    groups+=("$g"); addrs+=("${list%, }")
  done
  for ((i = 0; i < ${#addrs[@]}; i++)); do
    for ((j = 0; j < ${#addrs[@]}; j++)); do
      ((i == j)) && continue
      rules+="    ip saddr { ${addrs[i]} } ip daddr { ${addrs[j]} } drop"$'\n'
    done
  done
  # the forward hook sees namespace-to-namespace frames on the bridge; input and output those to and
  # from the host side. Matching ip (not arp) keeps neighbours resolved: connections time out as on a
  # cut cable instead of failing fast with "no route to host".
  nft -f - <<EOF
table bridge $table {}
delete table bridge $table
table bridge $table {
  chain cut {
$rules  }
  chain forward { type filter hook forward priority -200; policy accept; jump cut; }
  chain input { type filter hook input priority -200; policy accept; jump cut; }
  chain output { type filter hook output priority -200; policy accept; jump cut; }
}
EOF
  named=""
  for m in host "${HOSTS_PROCS[@]}"; do [[ $seen == *" $m "* ]] || named+="$m "; done
  say "partition: every packet between these groups is dropped, both ways (nft table bridge $table):"
  for ((i = 0; i < ${#groups[@]}; i++)); do say "  ${groups[i]//,/ }   (${addrs[i]})"; done
  say "  connected to everyone: ${named:-nobody}"
}

# the current cut, one line per group pair, for status
hosts_cut_rules() {
  local table
  table=$(hosts_nft_table)
  hosts_nft_exists "$table" || return 0
  local names=() p a
  for p in host "${HOSTS_PROCS[@]}"; do
    a=$(proc_host "$p"); names+=(-e "s/${a//./\\.}\([^0-9]\|\$\)/$p\1/g")
  done
  nft list chain bridge "$table" cut 2>/dev/null | grep -o 'ip saddr .* drop' \
    | sed -e 's/ip saddr //; s/ ip daddr / -> /; s/ drop$//' "${names[@]}"
}

# the delay a process's host adds to what it sends, in ms (0: none)
hosts_delay() {
  local line
  line=$(ip netns exec "$(hosts_ns "$1")" tc qdisc show dev eth0 2>/dev/null | grep -o 'netem .*delay [0-9.]*[mu]*s' | head -n 1)
  [[ -n $line ]] || { echo 0; return; }
  line=${line##*delay }
  case $line in *ms) echo "${line%ms}" ;; *us) echo 0 ;; *s) echo "$(( ${line%s} * 1000 ))" ;; esac
}

# ./duplex heal: every network fault this home made is undone (the cut, and any slow host)
cmd_heal() {
  hosts_require_mode "./duplex heal"
  local table p healed=0 d
  table=$(hosts_nft_table)
  if hosts_nft_exists "$table"; then
    say "healed: every link restored (deleted nft table bridge $table: $(hosts_cut_rules | wc -l) cut directions)"
    nft delete table bridge "$table"
    healed=1
  fi
  for p in "${HOSTS_PROCS[@]}"; do
    d=$(hosts_delay "$p")
    if [[ $d != 0 ]]; then hosts_slow "$p" 0; healed=1; fi
  done
  [[ $healed == 1 ]] || say "nothing to heal: no link is cut and no host is slowed"
}

# ./duplex slow NAME MS: every packet NAME sends waits MS ms (so each round trip with it takes MS
# longer); 0 removes the delay
hosts_slow() {
  local name=$1 ms=$2 ns
  ns=$(hosts_ns "$name")
  if [[ $ms == 0 ]]; then
    if ip netns exec "$ns" tc qdisc show dev eth0 | grep -q netem; then
      ip netns exec "$ns" tc qdisc del dev eth0 root
      say "slow: $name at normal speed again (removed netem delay on its link)"
    else
      say "slow: $name was not slowed"
    fi
    return 0
  fi
  local err
  if ! err=$(ip netns exec "$ns" tc qdisc replace dev eth0 root netem delay "${ms}ms" 2>&1); then
    if [[ $err == *"qdisc kind is unknown"* ]]; then
      die "this kernel has no netem queueing discipline (CONFIG_NET_SCH_NETEM, module sch_netem): cannot delay $name's packets here"
    fi
    die "tc could not delay $name: $err"
  fi
  say "slow: every packet $name ($(proc_host "$name")) sends is delayed ${ms} ms (netem on its link; each round trip with it takes ${ms} ms longer)"
}

cmd_slow() {
  local name=${1:-} ms=${2:-}
  [[ $# -eq 2 && $ms =~ ^[0-9]+$ ]] || usage_error slow "NAME and MS, a whole number of milliseconds"
  [[ $name != host ]] && hosts_valid_member "$name" || usage_error slow "no process named $name"
  ((10#$ms <= 60000)) || usage_error slow "at most 60000 ms"
  hosts_require_mode "./duplex slow"
  hosts_slow "$name" "$((10#$ms))"
}

# status lines in hosts mode: the network and the faults on it
hosts_status() {
  hosts_mode || return 0
  local cut p d slowed=""
  say "  hosts: bridge $(hosts_bridge) $(proc_host host)/24, namespaces $(hosts_ns '<name>'); records: $(HOSTS_ENV)"
  cut=$(hosts_cut_rules)
  if [[ -n $cut ]]; then say "  partition (dropped):"; sed 's/^/    /' <<< "$cut"; else say "  partition: none, every link up"; fi
  for p in "${HOSTS_PROCS[@]}"; do
    d=$(hosts_delay "$p" 2>/dev/null || echo 0)
    [[ $d == 0 ]] || slowed+="$p +${d}ms "
  done
  say "  slow: ${slowed:-none}"
}
