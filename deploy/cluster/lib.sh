# Functions to run the cluster's processes on one machine, each tracked by a PID file (sourced by services.sh,
# and by the script that starts the silos and the API). A PID file holds the PID and the process's start time
# (field 22 of /proc/PID/stat), so a PID that was reused by an unrelated process after a crash or reboot is
# recognised as stale and never signalled. Processes are only ever signalled by the PIDs in these files.

# proc_start_time PID: the process's start time in clock ticks since boot; fails if there is no such process.
proc_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }                      # the command name, in parentheses, may contain spaces
  set -- $stat
  echo "${20}"                           # state is field 3, so field 22 is the 20th after the name
}

# pidfile_pid PIDFILE: prints the PID and succeeds if the process recorded there still runs; fails otherwise.
pidfile_pid() {
  local pid started now
  [ -f "$1" ] || return 1
  { read -r pid; read -r started; } < "$1" || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  now=$(proc_start_time "$pid") || return 1
  [ "$now" = "$started" ] || return 1
  echo "$pid"
}

# start_process NAME PIDFILE LOG -- COMMAND ARGS...: starts the command detached from the terminal (own session,
# stdin from /dev/null, stdout and stderr appended to LOG) and records its PID in PIDFILE. Does nothing if the
# process recorded in PIDFILE still runs. The command must not daemonize itself: its PID is the one recorded.
start_process() {
  local name=$1 pidfile=$2 log=$3 pid
  shift 3
  [ "${1:-}" = "--" ] && shift
  if pid=$(pidfile_pid "$pidfile"); then
    echo "$name: already running (pid $pid)"
    return 0
  fi
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
  # setsid without --fork execs in place when it is no process-group leader, so $! is the command's own PID;
  # with job control on (lib.sh sourced in an interactive shell) a background job would lead its group.
  local job_control=0
  [[ $- == *m* ]] && { job_control=1; set +m; }
  setsid "$@" </dev/null >>"$log" 2>&1 &
  pid=$!
  [ "$job_control" -eq 1 ] && set -m
  local started
  started=$(proc_start_time "$pid") || { echo "$name: exited at once; last lines of $log:" >&2; tail -n 20 "$log" >&2; return 1; }
  printf '%s\n%s\n' "$pid" "$started" > "$pidfile"
  echo "$name: started (pid $pid, log $log)"
}

# stop_pidfile NAME PIDFILE [SECONDS]: SIGTERM to the recorded process, up to SECONDS (default 15) for it to exit,
# then SIGKILL; removes the PID file. A missing or stale PID file is only reported (and a stale one removed).
stop_pidfile() {
  local name=$1 pidfile=$2 seconds=${3:-15} pid i
  if ! pid=$(pidfile_pid "$pidfile"); then
    [ -f "$pidfile" ] && { echo "$name: not running (removed stale $pidfile)"; rm -f "$pidfile"; } || echo "$name: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < seconds * 10; i++)); do
    pidfile_pid "$pidfile" >/dev/null || break
    sleep 0.1
  done
  if pidfile_pid "$pidfile" >/dev/null; then
    echo "$name: still running $seconds s after SIGTERM; sending SIGKILL to pid $pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do pidfile_pid "$pidfile" >/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
  echo "$name: stopped (pid $pid)"
}

# port_open HOST PORT: succeeds if something accepts a TCP connection there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_port HOST PORT [SECONDS] [PIDFILE]: waits until the port accepts connections (default 30 s); with PIDFILE,
# gives up as soon as that process has exited.
wait_port() {
  local host=$1 port=$2 seconds=${3:-30} pidfile=${4:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    port_open "$host" "$port" && return 0
    if [ -n "$pidfile" ] && ! pidfile_pid "$pidfile" >/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# wait_until SECONDS PIDFILE -- COMMAND...: like wait_port, for any readiness probe (e.g. redis-cli ping).
wait_until() {
  local seconds=$1 pidfile=$2 i
  shift 2
  [ "${1:-}" = "--" ] && shift
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    if [ -n "$pidfile" ] && ! pidfile_pid "$pidfile" >/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# fail_start NAME PIDFILE LOG: for a process that never answered: stops it, shows its log's end, fails.
fail_start() {
  echo "$1: did not come up; last lines of $3:" >&2
  tail -n 20 "$3" >&2 || true
  stop_pidfile "$1" "$2" 5 >/dev/null
  return 1
}
