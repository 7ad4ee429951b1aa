# Duplex launcher, sourced by ./duplex: TLS on the wire.
#
# By default (DUPLEX_TLS=on) each node serves its one web port (REST, dashboard, heartbeats, switchover
# requests and remote EJB over remote+https) over TLS only: wildfly-config's configure-tls.cli removed the
# plaintext listeners from the provisioned server. At setup the launcher makes, under $DUPLEX_HOME/tls
# (target/, never committed):
#   ca-key.p12     the certificate authority's key pair; it signs the node certificates and never leaves here
#   ca.pem         the CA certificate: clients trust it (caCertificate= in the client configuration, curl --cacert)
#   duplex-ca.p12  the same CA as a PKCS12 trust store, for the nodes (the detector's heartbeats trust it)
#   node-X.p12     node-X's key and certificate, signed by the CA, valid for the node's address, 127.0.0.1 and localhost
# with one generated password in $SECRETS/tls-password. DUPLEX_TLS=off at the first setup keeps plain HTTP:
# the launcher then runs restore-tls.cli on each node's own copy of the configuration.
# The mode is recorded in topology.env; changing it needs ./duplex setup --fresh.

TLS_VALIDITY_DAYS=825

# $1: DUPLEX_TLS as the caller's environment gave it (empty when not given), before topology.env was read
tls_load() {
  TLS_ASKED=$1
  [[ -z $TLS_ASKED || $TLS_ASKED == on || $TLS_ASKED == off ]] || die "DUPLEX_TLS must be on or off, not '$TLS_ASKED'"
  TLS=${DUPLEX_TLS:-on}
  TLS_DIR=$DUPLEX_HOME/tls
}

# after --fresh removed the home: the mode asked for, not the one the removed home recorded
tls_reset() { TLS=${TLS_ASKED:-on}; }

tls_on() { [[ $TLS == on ]]; }
web_scheme() { if tls_on; then echo https; else echo http; fi; }

# the line save_topology records
tls_topology() { printf 'DUPLEX_TLS=%s\n' "$TLS"; }

# curl to a node's web port: the CA is trusted when TLS is on (the caller adds its own options)
node_curl() {
  if tls_on; then curl --cacert "$TLS_DIR/ca.pem" "$@"; else curl "$@"; fi
}

# keytool with the generated password read from its file, never on a command line (ps shows those)
tls_keytool() {
  keytool "$@" -storepass:file "$SECRETS/tls-password" -storetype PKCS12 2> /dev/null
}

# The CA (once per home), then each node's key store for its current address.
tls_setup() {
  tls_on || return 0
  command -v keytool > /dev/null || die "TLS needs the JDK's keytool on the PATH (or DUPLEX_TLS=off for plain HTTP)"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  generate_secret "$SECRETS/tls-password"
  if [[ ! -s $TLS_DIR/ca.pem || ! -s $TLS_DIR/duplex-ca.p12 ]]; then
    step "making the Duplex certificate authority in $TLS_DIR"
    rm -f "$TLS_DIR/ca-key.p12" "$TLS_DIR/ca.pem" "$TLS_DIR/duplex-ca.p12"
    tls_keytool -genkeypair -keystore "$TLS_DIR/ca-key.p12" -alias duplex-ca -keyalg EC -groupname secp256r1 \
      -dname "CN=Duplex CA $(date -u +%Y-%m-%dT%H:%M:%SZ)" -ext bc:c -ext ku:c=keyCertSign,cRLSign \
      -validity "$TLS_VALIDITY_DAYS" || die "keytool could not make the CA key pair"
    tls_keytool -exportcert -rfc -keystore "$TLS_DIR/ca-key.p12" -alias duplex-ca -file "$TLS_DIR/ca.pem" \
      || die "keytool could not export the CA certificate"
    tls_keytool -importcert -noprompt -keystore "$TLS_DIR/duplex-ca.p12" -alias duplex-ca -file "$TLS_DIR/ca.pem" \
      || die "keytool could not make the trust store"
  fi
  local node
  for node in "${NODES[@]}"; do tls_node_keystore "$node"; done
}

# node-X.p12, made again when the node's address changed (a home moved to --hosts)
tls_node_keystore() {
  local node=$1 ks=$TLS_DIR/$1.p12 san
  san="IP:127.0.0.1,DNS:localhost"
  [[ $(proc_host "$node") == 127.0.0.1 ]] || san="IP:$(proc_host "$node"),$san"
  [[ -s $ks && $(cat "$TLS_DIR/$node.san" 2> /dev/null) == "$san" ]] && return 0
  say "    $node: certificate for $san"
  rm -f "$ks" "$TLS_DIR/$node.pem"
  tls_keytool -genkeypair -keystore "$ks" -alias "$node" -keyalg EC -groupname secp256r1 -dname "CN=$node" \
    -validity "$TLS_VALIDITY_DAYS" || die "keytool could not make $node's key pair"
  tls_keytool -certreq -keystore "$ks" -alias "$node" \
    | tls_keytool -gencert -keystore "$TLS_DIR/ca-key.p12" -alias duplex-ca -rfc -validity "$TLS_VALIDITY_DAYS" \
        -ext "san=$san" -ext ku:c=digitalSignature -ext eku=serverAuth > "$TLS_DIR/$node.pem" \
    || die "keytool could not sign $node's certificate"
  # the CA first, so that the signed reply is stored with its whole chain
  tls_keytool -importcert -noprompt -keystore "$ks" -alias duplex-ca -file "$TLS_DIR/ca.pem" \
    && tls_keytool -importcert -noprompt -keystore "$ks" -alias "$node" -file "$TLS_DIR/$node.pem" \
    || die "keytool could not store $node's certificate"
  echo "$san" > "$TLS_DIR/$node.san"
}

# A node's own copy of its configuration: its key store and the trust store beside standalone-ha.xml (TLS), or the
# plaintext listeners put back by restore-tls.cli (plain HTTP, once, when the copy is made).
tls_node_config() {
  local node=$1 dir=$2 fresh=$3
  if tls_on; then
    install -m 600 "$TLS_DIR/$node.p12" "$dir/configuration/duplex-node.p12"
    install -m 600 "$TLS_DIR/duplex-ca.p12" "$dir/configuration/duplex-ca.p12"
  elif [[ $fresh == fresh ]]; then
    say "    $node: plain HTTP (DUPLEX_TLS=off): restore-tls.cli on its configuration"
    JBOSS_HOME=$WILDFLY_HOME JAVA_OPTS="-Djboss.server.base.dir=$dir" "$WILDFLY_HOME/bin/jboss-cli.sh" \
      --file="$ROOT/wildfly-config/src/main/cli/restore-tls.cli" \
      --properties="$ROOT/wildfly-config/src/main/cli/duplex.properties" > "$DUPLEX_HOME/nodes/$node-restore-tls.log" 2>&1 \
      || die "restore-tls.cli failed on $node: $DUPLEX_HOME/nodes/$node-restore-tls.log"
  fi
}

# the node's properties the TLS resources resolve (configure-tls.cli's ${duplex.tls.password})
tls_node_properties() {
  tls_on || return 0
  echo "duplex.tls.password=$(cat "$SECRETS/tls-password")"
}

# the client configuration's line naming the CA it trusts
tls_client_config() {
  tls_on || return 0
  echo "caCertificate=$TLS_DIR/ca.pem"
}

# ./duplex setup on a home first set up in the other mode
tls_check_home() {
  [[ -f $DUPLEX_HOME/topology.env && -n $TLS_ASKED && $TLS_ASKED != "$TLS" ]] || return 0
  die "$DUPLEX_HOME was set up with DUPLEX_TLS=$TLS; ./duplex setup --fresh to change it"
}
