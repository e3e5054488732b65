#!/usr/bin/env bash
# A throwaway 3-master Redis Cluster on loopback, for the @fluxibly/redis tests and bench.
#   scripts/redis-cluster.sh start [DIR]  start it (state in DIR, default a new temp dir); prints
#                                         export REDIS_CLUSTER_NODES=127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3 and
#                                         export REDIS_CLUSTER_DIR=DIR on stdout: eval "$(scripts/redis-cluster.sh start)"
#   scripts/redis-cluster.sh stop DIR     stop the nodes started in DIR and remove it
# Ports: the first three free ones from REDIS_CLUSTER_BASE_PORT (default 7000) upward. Readiness is polled, with a
# deadline; nothing sleeps a fixed time.
set -euo pipefail

DEADLINE_S=60

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

poll() {
  local what=$1 deadline=$(($(date +%s) + DEADLINE_S))
  shift
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) >= deadline)); then
      echo "redis-cluster: ${what} not ready after ${DEADLINE_S}s" >&2
      return 1
    fi
    sleep 0.1
  done
}

cluster_ok() { redis-cli -h 127.0.0.1 -p "$1" cluster info | grep -q '^cluster_state:ok'; }
node_up() { [[ $(redis-cli -h 127.0.0.1 -p "$1" ping) == PONG ]]; }
# A node that could not bind its port (taken between our check and its start, e.g. by another process's
# outgoing connection) logs it and exits.
bind_failed() { grep -q 'Failed listening on port' "$1/redis.log" 2>/dev/null; }

# Node $2 (state in $1) answers, or has given up because it could not bind its port.
node_settled() { node_up "$2" || bind_failed "$1/$2"; }

start() {
  local dir=${1:-$(mktemp -d -t fluxibly-redis-cluster.XXXXXX)}
  mkdir -p "$dir"
  local ports=() p=${REDIS_CLUSTER_BASE_PORT:-7000} attempt
  for attempt in 1 2 3 4 5; do
    ports=()
    while ((${#ports[@]} < 3)); do
      # A cluster node also listens on port + 10000 (its bus).
      if port_free "$p" && port_free $((p + 10000)); then ports+=("$p"); fi
      p=$((p + 1))
    done
    for port in "${ports[@]}"; do
      rm -rf "${dir:?}/$port"
      mkdir -p "$dir/$port"
      redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --cluster-enabled yes \
        --cluster-config-file "$dir/$port/nodes.conf" --cluster-node-timeout 5000 --dir "$dir/$port" \
        --save "" --appendonly no --pidfile "$dir/$port/redis.pid" --logfile "$dir/$port/redis.log" >&2
    done
    local started=1
    for port in "${ports[@]}"; do
      poll "node 127.0.0.1:$port" node_settled "$dir" "$port"
      if bind_failed "$dir/$port"; then started=0; fi
    done
    ((started)) && break
    # A port was taken meanwhile: stop this attempt's nodes and try the next free ports.
    echo "redis-cluster: a port was taken while starting (attempt ${attempt}); trying other ports" >&2
    stop "$dir"
    mkdir -p "$dir"
    if ((attempt == 5)); then
      echo "redis-cluster: could not bind three free ports in 5 attempts" >&2
      exit 1
    fi
  done
  redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >&2
  for p in "${ports[@]}"; do poll "cluster state on 127.0.0.1:$p" cluster_ok "$p"; done
  local nodes
  nodes=$(printf '127.0.0.1:%s,' "${ports[@]}")
  echo "export REDIS_CLUSTER_NODES=${nodes%,}"
  echo "export REDIS_CLUSTER_DIR=${dir}"
}

stop() {
  local dir=${1:?usage: redis-cluster.sh stop DIR}
  local pidfile
  for pidfile in "$dir"/*/redis.pid; do
    [[ -f $pidfile ]] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$dir"/*/redis.pid; do
    [[ -f $pidfile ]] || continue
    local pid deadline=$(($(date +%s) + DEADLINE_S))
    pid=$(cat "$pidfile")
    while kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.1; done
  done
  rm -rf "$dir"
}

case ${1:-} in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: $0 start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
