#!/usr/bin/env bash
# Runs a Felix workload and the same workload against its peer in one go, on loopback, and prints
# both and the ratio (docs/benchmarks.md). Installs the peer from Debian when it is missing.
#
#   scripts/bench-peers.sh W1|W2|W3|W3-10 [--runs 3]         # Felix streams vs nats-server (core)
#   scripts/bench-peers.sh W1|W2 redis [--runs 3]            # Felix streams vs Redis pub/sub
#   scripts/bench-peers.sh W4 [--runs 3] [--duration 10]     # Felix cache vs redis-server
#
# Redis runs with persistence off (no RDB, no AOF) and NATS without JetStream: memory against
# memory, as Felix's default streams and caches.
# Bounded: every run has a duration, the peer is stopped on exit, nothing listens beyond loopback.
set -euo pipefail

workload="${1:?usage: scripts/bench-peers.sh W4 [felix bench options]}"
shift
cd "$(dirname "$0")/.."

install_if_missing() {
  local binary="$1" package="$2"
  if ! command -v "$binary" >/dev/null 2>&1; then
    echo "bench-peers: installing $package from Debian" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y "$package" >/dev/null; else sudo apt-get install -y "$package" >/dev/null; fi
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts redis-server on a free loopback port, persistence off; sets port and peer_pid.
start_redis() {
  install_if_missing redis-server redis-server
  port="$(free_port)"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --logfile /dev/null &
  peer_pid=$!
  trap 'kill "$peer_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

peer="" # the workload's first peer: NATS for W1-W3, Redis for W4
if [ "${1:-}" = "redis" ]; then
  peer="redis"
  shift
fi

case "${workload^^}/$peer" in
  W1/redis|W2/redis)
    start_redis
    ./felix bench "$workload" --peer redis --redis "127.0.0.1:$port" --peer-pid "$peer_pid" "$@"
    ;;
  W1/|W2/|W3/|W3-10/)
    install_if_missing nats-server nats-server
    port="$(free_port)"
    nats-server -a 127.0.0.1 -p "$port" >/dev/null 2>&1 &
    peer_pid=$!
    trap 'kill "$peer_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    ./felix bench "$workload" --peer nats --nats "nats://127.0.0.1:$port" --peer-pid "$peer_pid" "$@"
    ;;
  W4/|W4/redis)
    start_redis
    ./felix bench W4 --peer redis --redis "127.0.0.1:$port" --peer-pid "$peer_pid" "$@"
    echo "reference: redis-benchmark -t get,set -d 1024 -c 8 (the server's own C client)"
    redis-benchmark -p "$port" -t get,set -d 1024 -c 8 -n 200000 -q
    ;;
  *)
    echo "bench-peers: no peer wired for $workload${peer:+ against $peer} (W1-W3: NATS, W1-W2 redis: Redis pub/sub, W4: Redis)" >&2
    exit 2
    ;;
esac
