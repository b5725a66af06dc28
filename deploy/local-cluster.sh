#!/usr/bin/env bash
# Start or stop N consensus-kit app servers behind HAProxy on this machine: the deployment of
# several machines, in miniature (the tests in tests/cluster use it; README "Deployment on
# several machines").
#
#   deploy/local-cluster.sh up SERVERS BASE_PORT BALANCER_PORT PG_URL REDIS_URL
#   deploy/local-cluster.sh down
#
# up:   migrates the database, starts SERVERS `consensus-kit serve` processes on ports
#       BASE_PORT, BASE_PORT+1, … (each waits until its /readyz answers), then HAProxy on
#       BALANCER_PORT with deploy/haproxy.cfg, and waits until the balancer answers.
# down: SIGTERM to every server (they finish their requests and send their live streams
#       elsewhere), then to HAProxy; SIGKILL to what is still running after 15 s.
#
# Environment: CK_CLUSTER_DIR (pids, logs, the generated haproxy.cfg; default ./.cluster),
# CK_SECRET (shared by every server: tokens and cookies signed by one are read by the others;
# default: a random one kept in CK_CLUSTER_DIR/secret), CK_SERVE (the command that runs
# consensus-kit; default `consensus-kit`), CK_WORKERS (worker processes per server; default 1),
# CK_HOST (the address the servers listen on; default 127.0.0.1). Other CK_* variables
# (CK_POLL, CK_HEARTBEAT…) reach the servers unchanged.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${CK_CLUSTER_DIR:-.cluster}"
host="${CK_HOST:-127.0.0.1}"
read -r -a serve <<<"${CK_SERVE:-consensus-kit}"

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: deploy/local-cluster.sh up SERVERS BASE_PORT BALANCER_PORT PG_URL REDIS_URL
       deploy/local-cluster.sh down
EOF
  exit 1
}

is_number() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "${2:-1}" ] && [ "$1" -le "${3:-65535}" ]; }

wait_ready() {  # URL PID-or-empty SECONDS: until URL answers 200; fails if PID exits
  local url="$1" pid="$2" deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

stop_pid() {  # PIDFILE: SIGTERM, then SIGKILL after 15 s
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  [ -d "$dir" ] || { echo "no cluster in $dir"; return 0; }
  local file
  for file in "$dir"/server-*.pid; do stop_pid "$file"; done
  stop_pid "$dir/haproxy.pid"
  echo "cluster in $dir stopped"
}

up() {
  [ $# -eq 5 ] || usage
  local count="$1" base="$2" balancer="$3" pg="$4" redis="$5"
  is_number "$count" 1 64 || die "SERVERS: expected a number from 1 to 64, got '$count'"
  is_number "$base" 1024 65535 || die "BASE_PORT: expected a port from 1024 to 65535, got '$base'"
  is_number "$((base + count - 1))" 1024 65535 || die "BASE_PORT: $count servers from $base pass port 65535"
  is_number "$balancer" 1024 65535 || die "BALANCER_PORT: expected a port from 1024 to 65535, got '$balancer'"
  if [ "$balancer" -ge "$base" ] && [ "$balancer" -lt "$((base + count))" ]; then
    die "BALANCER_PORT: $balancer is one of the servers' ports ($base-$((base + count - 1)))"
  fi
  [[ "$pg" == postgresql://* || "$pg" == postgres://* || "$pg" == postgresql+*://* ]] \
    || die "PG_URL: expected postgresql://…, got '${pg%%@*}…' (servers on several hosts share one PostgreSQL)"
  [[ "$redis" == redis://* || "$redis" == rediss://* ]] || die "REDIS_URL: expected redis://…, got '$redis'"
  command -v haproxy >/dev/null || die "haproxy is not installed (apt install haproxy)"
  command -v curl >/dev/null || die "curl is not installed (apt install curl)"
  command -v "${serve[0]}" >/dev/null || die "CK_SERVE: '${serve[0]}' is not a command"
  mkdir -p "$dir"
  if compgen -G "$dir/*.pid" >/dev/null; then die "a cluster already runs in $dir: stop it first (down)"; fi

  if [ -z "${CK_SECRET:-}" ]; then
    [ -s "$dir/secret" ] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' >"$dir/secret")
    CK_SECRET="$(cat "$dir/secret")"
  fi
  export CK_SECRET

  "${serve[@]}" migrate --db "$pg" >"$dir/migrate.log" 2>&1 \
    || die "the database could not be migrated: $(tail -n 1 "$dir/migrate.log")"

  local i port pid servers=""
  for i in $(seq 1 "$count"); do
    port=$((base + i - 1))
    "${serve[@]}" serve --db "$pg" --redis "$redis" --host "$host" --port "$port" \
      --workers "${CK_WORKERS:-1}" >"$dir/server-$i.log" 2>&1 &
    echo $! >"$dir/server-$i.pid"
    servers+="    server app$i $host:$port"$'\n'
  done
  for i in $(seq 1 "$count"); do
    port=$((base + i - 1))
    if ! wait_ready "http://$host:$port/readyz" "$(cat "$dir/server-$i.pid")" 60; then
      tail -n 5 "$dir/server-$i.log" >&2 || true
      down >/dev/null
      die "server $i (port $port) did not become ready; its log: $dir/server-$i.log"
    fi
  done

  awk -v bind="127.0.0.1:$balancer" -v servers="$servers" \
    '{ if ($0 == "@SERVERS@") printf "%s", servers; else { gsub("@BALANCER_BIND@", bind); print } }' \
    "$here/haproxy.cfg" >"$dir/haproxy.cfg"
  haproxy -c -q -f "$dir/haproxy.cfg" || { down >/dev/null; die "the generated $dir/haproxy.cfg is not valid"; }
  haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
  echo $! >"$dir/haproxy.pid"
  if ! wait_ready "http://127.0.0.1:$balancer/readyz" "$(cat "$dir/haproxy.pid")" 30; then
    tail -n 5 "$dir/haproxy.log" >&2 || true
    down >/dev/null
    die "the balancer on port $balancer did not answer; its log: $dir/haproxy.log"
  fi
  echo "cluster up: http://127.0.0.1:$balancer -> $count servers on $host:$base-$((base + count - 1)); pids and logs in $dir"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) [ $# -eq 1 ] || usage; down ;;
  *) usage ;;
esac
