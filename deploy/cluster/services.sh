#!/usr/bin/env bash
# The cluster's services on loopback: PostgreSQL (grain state), redis-server (Orleans membership and reminders)
# and azurite-blob (thumbnails), each waited for until it answers.
#   deploy/cluster/services.sh start|stop|status
# Run folder (PID files, logs, redis and azurite data): $ACTORS_CLUSTER_RUN, default deploy/cluster/run.
# Ports: $ACTORS_REDIS_PORT (6379), $ACTORS_AZURITE_PORT (10000). PostgreSQL: the machine's newest version's
# cluster $ACTORS_PG_CLUSTER (default main, 127.0.0.1:5432 as deploy/setup.sh creates it), on its own port.
# PostgreSQL is the machine's own server (set up by deploy/setup.sh), so stop stops it only if start started it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
source "$here/lib.sh"

run=${ACTORS_CLUSTER_RUN:-$here/run}
mkdir -p "$run"
run=$(cd "$run" && pwd)
redis_port=${ACTORS_REDIS_PORT:-6379}
azurite_port=${ACTORS_AZURITE_PORT:-10000}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
pg_cluster=${ACTORS_PG_CLUSTER:-main}
pg_port=$(pg_lsclusters -h 2>/dev/null | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c { print $3 }')
pg_ready() { pg_isready -h 127.0.0.1 -p "$pg_port" -q; }
pg_postmaster_pid() { # first line of the running cluster's postmaster.pid (its data folder is the owner's only)
  local data
  data=$(pg_lsclusters -h | awk -v v="$pg_version" -v c="$pg_cluster" '$1 == v && $2 == c { print $6 }')
  $SUDO head -n 1 "$data/postmaster.pid" 2>/dev/null
}
pg_marker=$run/postgresql.started   # "version cluster postmaster-pid" while PostgreSQL runs because start started it

missing() { echo "$1 is not installed: run deploy/setup.sh" >&2; exit 1; }

start_postgresql() {
  [ -n "$pg_port" ] || missing "PostgreSQL (cluster ${pg_version:-?}/$pg_cluster)"
  if pg_ready; then
    [ -f "$pg_marker" ] && echo "postgresql: already running (127.0.0.1:$pg_port, started by this script)" \
      || echo "postgresql: already running (127.0.0.1:$pg_port, not started by this script)"
    return 0
  fi
  $SUDO pg_ctlcluster "$pg_version" "$pg_cluster" start
  wait_until 30 "" -- pg_ready || { echo "postgresql: not ready after 30 s" >&2; return 1; }
  echo "$pg_version $pg_cluster $(pg_postmaster_pid)" > "$pg_marker"
  echo "postgresql: started (cluster $pg_version/$pg_cluster, 127.0.0.1:$pg_port)"
}

stop_postgresql() {
  if [ ! -f "$pg_marker" ]; then
    pg_ready && echo "postgresql: left running (not started by this script)" || echo "postgresql: not running"
    return 0
  fi
  local version cluster pid
  read -r version cluster pid < "$pg_marker"
  rm -f "$pg_marker"
  if ! pg_ready; then echo "postgresql: not running"; return 0; fi
  if [ "$(pg_postmaster_pid)" != "$pid" ]; then  # restarted by someone else since (or a reboot): not ours now
    echo "postgresql: left running (restarted since this script started it)"
    return 0
  fi
  $SUDO pg_ctlcluster "$version" "$cluster" stop
  echo "postgresql: stopped (cluster $version/$cluster)"
}

start_redis() {
  command -v redis-server >/dev/null || missing redis-server
  local pidfile=$run/redis.pid log=$run/redis.log
  if ! pidfile_pid "$pidfile" >/dev/null && port_open 127.0.0.1 "$redis_port"; then
    echo "redis: 127.0.0.1:$redis_port is taken by a process this script did not start (the distro's redis service?)" >&2
    return 1
  fi
  mkdir -p "$run/redis"
  # Persistent (AOF, fsync every second): reminders live here and must survive a restart of the cluster.
  cat > "$run/redis/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize no
dir $run/redis
appendonly yes
appendfsync everysec
logfile ""
CONF
  start_process redis "$pidfile" "$log" -- redis-server "$run/redis/redis.conf"
  wait_until 30 "$pidfile" -- redis-cli -h 127.0.0.1 -p "$redis_port" ping || fail_start redis "$pidfile" "$log"
}

start_azurite() {
  local script=$deploy/node_modules/.bin/azurite-blob pidfile=$run/azurite.pid log=$run/azurite.log
  [ -e "$script" ] || missing "azurite (deploy/node_modules)"
  command -v node >/dev/null || missing node
  if ! pidfile_pid "$pidfile" >/dev/null && port_open 127.0.0.1 "$azurite_port"; then
    echo "azurite: 127.0.0.1:$azurite_port is taken by a process this script did not start" >&2
    return 1
  fi
  mkdir -p "$run/azurite"
  start_process azurite "$pidfile" "$log" -- node "$script" --blobHost 127.0.0.1 --blobPort "$azurite_port" \
    --location "$run/azurite" --disableTelemetry --silent
  wait_port 127.0.0.1 "$azurite_port" 60 "$pidfile" || fail_start azurite "$pidfile" "$log"
}

status_process() { # NAME PIDFILE ADDRESS
  local pid
  if pid=$(pidfile_pid "$2"); then echo "$1: running (pid $pid, $3)"; return 0; fi
  [ -f "$2" ] && echo "$1: stopped (stale pid file $2)" || echo "$1: stopped"
  return 1
}

status() {
  local down=0
  if [ -n "$pg_port" ] && pg_ready; then
    [ -f "$pg_marker" ] && echo "postgresql: running (127.0.0.1:$pg_port, started by this script)" \
      || echo "postgresql: running (127.0.0.1:$pg_port, not started by this script)"
  else
    echo "postgresql: stopped"; down=1
  fi
  status_process redis "$run/redis.pid" "127.0.0.1:$redis_port" || down=1
  status_process azurite "$run/azurite.pid" "127.0.0.1:$azurite_port" || down=1
  return $down
}

case "${1:-}" in
  start)
    start_postgresql
    start_redis
    start_azurite
    echo "services: up (run folder $run)"
    ;;
  stop)
    stop_pidfile azurite "$run/azurite.pid"
    stop_pidfile redis "$run/redis.pid"
    stop_postgresql
    ;;
  status)
    status || exit 3
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
