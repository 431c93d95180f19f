#!/usr/bin/env bash
# The cluster on one machine, all on loopback: the services (PostgreSQL, redis-server, azurite; services.sh), three
# storage silos (src/Silo), one GPU-host silo (GpuHost's `silo` verb) and the API as an Orleans client, which serves
# the REST API, Swagger UI and the Orleans Dashboard (/dashboard).
#   deploy/cluster/cluster.sh start|stop|status
# Every process is tracked by a PID file in the run folder and stopped by that PID only (lib.sh).
# Settings (environment, defaults in brackets): ACTORS_CLUSTER_RUN [deploy/cluster/run], ACTORS_API_PORT [5080],
# ACTORS_STORAGE_SILOS [3], ACTORS_SILO_PORT [11111: storage silos count up from it, the GPU host follows them],
# ACTORS_GATEWAY_PORT [30001: one gateway per storage silo], ACTORS_REDIS_PORT [6379], ACTORS_AZURITE_PORT [10000],
# ACTORS_POSTGRES [the actors role and database deploy/setup.sh creates], ACTORS_PG_SCHEMA [cluster].
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/lib.sh"

run=${ACTORS_CLUSTER_RUN:-$here/run}
mkdir -p "$run"
run=$(cd "$run" && pwd)
export ACTORS_CLUSTER_RUN=$run
api_port=${ACTORS_API_PORT:-5080}
storage_silos=${ACTORS_STORAGE_SILOS:-3}
silo_port=${ACTORS_SILO_PORT:-11111}
gateway_port=${ACTORS_GATEWAY_PORT:-30001}
redis_port=${ACTORS_REDIS_PORT:-6379}
azurite_port=${ACTORS_AZURITE_PORT:-10000}
postgres=${ACTORS_POSTGRES:-Host=127.0.0.1;Username=actors;Password=actors;Database=actors;Maximum Pool Size=16}
pg_schema=${ACTORS_PG_SCHEMA:-cluster}
# azurite's well-known development account (public; it only ever listens on 127.0.0.1 here).
azure="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
bin=Release/net10.0

# What every process of the cluster is told: Redis membership, the Orleans Dashboard, and failure detection tuned for loopback
# (a killed silo is evicted in about a second instead of 6-18 s with Orleans's defaults).
cluster_args=(--Cluster:Membership=Redis "--Cluster:Redis=127.0.0.1:$redis_port" --Cluster:ProbeTimeout=00:00:01
  --Cluster:NumMissedProbesLimit=2 --Cluster:NumVotesForDeathDeclaration=1 --Cluster:Dashboard=true --Logging:LogLevel:Default=Warning
  --Logging:LogLevel:Actors=Information)
blob_args=(--Blobs:Kind=Azure "--Blobs:AzureConnectionString=$azure")
gpu_port=$((silo_port + storage_silos))

start() {
  "$here/services.sh" start
  echo "building (dotnet build -c Release src/Api: the API, the storage silo and the GPU host)"
  dotnet build "$repo/src/Api/Api.csproj" -c Release -v quiet -nologo >"$run/build.log" 2>&1 \
    || { tail -n 30 "$run/build.log" >&2; exit 1; }
  cd "$repo"   # models/ and relative paths resolve against the repository, as with dotnet run
  for ((i = 1; i <= storage_silos; i++)); do
    start_process "storage-$i" "$run/storage-$i.pid" "$run/storage-$i.log" -- \
      dotnet "src/Silo/bin/$bin/Silo.dll" "${cluster_args[@]}" --Silo:Storage=Postgres \
      "--Silo:PostgresConnectionString=$postgres" "--Silo:PostgresSchema=$pg_schema" "--Silo:Name=storage-$i" \
      "--Silo:SiloPort=$((silo_port + i - 1))" "--Silo:GatewayPort=$((gateway_port + i - 1))"
  done
  for ((i = 1; i <= storage_silos; i++)); do
    wait_port 127.0.0.1 $((gateway_port + i - 1)) 90 "$run/storage-$i.pid" || fail_start "storage-$i" "$run/storage-$i.pid" "$run/storage-$i.log"
  done
  start_process gpu-host "$run/gpu-host.pid" "$run/gpu-host.log" -- \
    dotnet "src/GpuHost/bin/$bin/GpuHost.dll" silo "${cluster_args[@]}" "${blob_args[@]}" --Silo:Name=gpu-host-1 \
    "--Silo:SiloPort=$gpu_port" "--Silo:DataFolder=$run/gpu-host"
  wait_port 127.0.0.1 "$gpu_port" 90 "$run/gpu-host.pid" || fail_start gpu-host "$run/gpu-host.pid" "$run/gpu-host.log"
  start_process api "$run/api.pid" "$run/api.log" -- \
    dotnet "src/Api/bin/$bin/Api.dll" "${cluster_args[@]}" "${blob_args[@]}" --urls "http://127.0.0.1:$api_port" \
    --Demo:Enabled=false "--Silo:DataFolder=$run/api"
  wait_until 90 "$run/api.pid" -- curl -sf "http://127.0.0.1:$api_port/health" || fail_start api "$run/api.pid" "$run/api.log"
  echo "cluster: API http://127.0.0.1:$api_port (Swagger /swagger, Orleans Dashboard /dashboard)"
  # A new cluster's first API start creates the first admin and prints its key once, into the API's log.
  sleep 1
  grep -h "first admin created" "$run/api.log" || echo "cluster: users exist already (the first admin's key was printed at the cluster's first start)"
}

stop() {
  stop_pidfile api "$run/api.pid"
  stop_pidfile gpu-host "$run/gpu-host.pid"
  for ((i = storage_silos; i >= 1; i--)); do stop_pidfile "storage-$i" "$run/storage-$i.pid"; done
  "$here/services.sh" stop
}

status() {
  local down=0 name pid
  for name in api gpu-host $(seq -f 'storage-%g' 1 "$storage_silos"); do
    if pid=$(pidfile_pid "$run/$name.pid"); then echo "$name: running (pid $pid)"; else echo "$name: not running"; down=1; fi
  done
  "$here/services.sh" status || down=1
  return $down
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
