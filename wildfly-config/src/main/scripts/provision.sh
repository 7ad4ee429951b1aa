#!/usr/bin/env bash
# Turns the unpacked stock WildFly into a Duplex node template by running the configure-*.cli
# scripts in embedded mode (no server process), in order. Idempotent: safe to run again.
set -euo pipefail
wildfly_home=$1
jdbc_jar=$2
cli_dir=$(cd "$(dirname "$0")/../cli" && pwd)
export JBOSS_HOME=$wildfly_home
for step in jdbc-driver cluster datasources naming transactions observability brute-force tls holds; do
  echo "[provision] configure-$step.cli"
  "$wildfly_home/bin/jboss-cli.sh" --file="$cli_dir/configure-$step.cli" \
    --properties="$cli_dir/duplex.properties" -Dduplex.jdbc.jar="$jdbc_jar" \
    || { echo "[provision] configure-$step.cli failed" >&2; exit 1; }
done
echo "[provision] $wildfly_home/standalone/configuration/standalone-ha.xml is a Duplex node"
