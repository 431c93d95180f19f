#!/usr/bin/env bash
# Installs what the product needs on a fresh Debian 12 machine (idempotent) and starts PostgreSQL on
# loopback for the storage contract tests and the server configuration; installs redis-server (Debian) and
# azurite (npm, pinned in deploy/package-lock.json) for the cluster, which tests and deploy/cluster/services.sh
# start themselves; installs Debian's chromium, which the dashboard's browser tests drive through Playwright (its own
# browser download is never used). Run as root (or with sudo).
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
deploy=$(cd "$(dirname "$0")" && pwd)

# (dpkg -s alone also succeeds for a package removed but not purged, whose files are gone)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
redis_was_installed=0; installed redis-server && redis_was_installed=1
need=()
for pkg in libopenblas0-pthread libsqlite3-0 libicu72 postgresql redis-server chromium; do
  installed "$pkg" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Installing redis-server starts and enables the distro's service on 6379 where the init system allows it. Only
# the cluster's own redis (deploy/cluster/services.sh) and the tests' (free ports) should run, so a redis that this
# run installed is stopped and kept from starting at boot. One installed earlier is left as its owner set it.
if [ "$redis_was_installed" -eq 0 ]; then
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
  else
    $SUDO service redis-server stop >/dev/null 2>&1 || true
    $SUDO update-rc.d redis-server disable >/dev/null 2>&1 || true
  fi
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
echo "setup: libopenblas, chromium and PostgreSQL $ver (127.0.0.1:5432, user actors) are ready"

# azurite (Azure Blob storage emulator) from npm at the exact versions in deploy/package-lock.json. Its Azure SDK
# dependencies declare Node.js >= 20 (Debian 12's nodejs is 18), so an older or missing node is an error here.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null; then
  echo "setup: azurite needs Node.js >= 20 with npm (found: $(node --version 2>/dev/null || echo none)); install it and rerun" >&2
  exit 1
fi
lock_sum=$(sha256sum "$deploy/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$deploy/node_modules/.installed-lock.sha256" 2>/dev/null)" != "$lock_sum" ]; then
  (cd "$deploy" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$deploy/node_modules/.installed-lock.sha256"
fi
echo "setup: redis-server $(redis-server --version | grep -o 'v=[^ ]*' | cut -c3-) and azurite $(node -p "require('$deploy/node_modules/azurite/package.json').version") are installed (not running)"
