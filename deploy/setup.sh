#!/usr/bin/env bash
# Installs what the product needs on a fresh Debian 12 machine (idempotent) and starts PostgreSQL on
# loopback for the storage contract tests and the server configuration. Run as root (or with sudo).
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=()
for pkg in libopenblas0-pthread libvips42 libsqlite3-0 libicu72 postgresql; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL on 127.0.0.1:5432 with a role and database the tests and the server profile use.
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  $SUDO pg_createcluster "$ver" main >/dev/null
fi
$SUDO pg_ctlcluster "$ver" main start 2>/dev/null || true
for i in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
psql_admin() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -qtA -c \"$1\""; else sudo -u postgres psql -qtA -c "$1"; fi; }
psql_admin "SELECT 1 FROM pg_roles WHERE rolname='actors'" | grep -q 1 \
  || psql_admin "CREATE ROLE actors LOGIN SUPERUSER PASSWORD 'actors'" >/dev/null
psql_admin "SELECT 1 FROM pg_database WHERE datname='actors'" | grep -q 1 \
  || psql_admin "CREATE DATABASE actors OWNER actors" >/dev/null
echo "setup: libopenblas, libvips and PostgreSQL $ver (127.0.0.1:5432, user actors) are ready"
