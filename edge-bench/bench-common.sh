# Shared by compare-edges.sh and many-streams.sh (sourced, not run): the edges' binaries and jars,
# cleanup of every process started, ports, CPU and RSS of a process tree from /proc, config writers.
# Expects: root, out, edges (may be empty: "nginx ours", plus srs when srs_bin is set), srs_bin.

if [ -z "$edges" ]; then
    edges="nginx ours"
    [ -n "$srs_bin" ] && edges="nginx srs ours"
fi
case " $edges " in
    *" srs "*)
        [ -n "$srs_bin" ] && [ -x "$srs_bin" ] || { echo "--edges has srs: --srs must name an executable SRS binary (got '${srs_bin}')" >&2; exit 2; }
        srs_bin=$(cd "$(dirname "$srs_bin")" && pwd)/$(basename "$srs_bin") ;;
esac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jcmd=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
edge_jar=${EDGE_JAR:-$root/edge-server/target/edge-server.jar}  # EDGE_JAR: another build, to compare
bench_jar=$root/edge-bench/target/benchmarks.jar
if [ ! -f "$edge_jar" ] || [ ! -f "$bench_jar" ]; then
    (cd "$root" && mvn -B -q -DskipTests -Dfuzz.skip=true -pl edge-server,edge-bench -am package)
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
rtmp_module=$(find /usr/lib/nginx/modules /usr/share/nginx/modules -name ngx_rtmp_module.so 2>/dev/null | head -n 1)
[ -n "$rtmp_module" ] || { echo "ngx_rtmp_module.so not found (apt-get install libnginx-mod-rtmp)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)   # nginx -p needs an absolute path
clk_tck=$(getconf CLK_TCK)
pids_to_kill=()
cleanup() {
    # TERM first: an nginx master killed with -9 leaves its worker behind, orphaned.
    for p in "${pids_to_kill[@]:-}"; do
        [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        alive=""
        for p in "${pids_to_kill[@]:-}"; do
            [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=yes
        done
        [ -z "$alive" ] && return 0
        sleep 0.3
    done
    for p in "${pids_to_kill[@]:-}"; do
        [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT

free_port() {
    python3 - 2>/dev/null <<'EOF' || shuf -i 20000-60000 -n 1
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOF
}

wait_port() {  # host port seconds
    local deadline=$((SECONDS + $3))
    until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "nothing listens on $1:$2 after $3 s" >&2; return 1; }
        sleep 0.2
    done
}

# Every pid of a process tree (the edge and, for nginx, its workers).
tree_pids() {
    local p=$1 c
    echo "$p"
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done
}

# Ticks of one /proc/.../stat file: utime+stime, or stime alone with "sys"; 0 once it is gone.
# (The fields after the command name's closing ") ": utime is the 12th, stime the 13th.)
stat_ticks() {
    local which=${2:-all} f
    f=$(cat "$1" 2>/dev/null) || { echo 0; return; }
    f=${f##*) }
    set -- $f
    if [ "$which" = sys ]; then echo "${13}"; else echo $((${12} + ${13})); fi
}

cpu_ticks() {  # sum of utime+stime over the tree
    local t=0 p
    for p in $(tree_pids "$1"); do t=$((t + $(stat_ticks /proc/"$p"/stat))); done
    echo $t
}

jit_ticks() {  # utime+stime of a JVM's JIT compiler threads: compiling, not serving
    local t=0 task c
    for task in /proc/"$1"/task/*; do
        c=$(cat "$task"/comm 2>/dev/null) || continue
        case "$c" in
            C1\ CompilerThre*|C2\ CompilerThre*) ;;
            *) continue ;;
        esac
        t=$((t + $(stat_ticks "$task"/stat)))
    done
    echo $t
}

sys_ticks() {  # stime alone over the tree: the kernel's share (socket writes, TCP)
    local t=0 p
    for p in $(tree_pids "$1"); do t=$((t + $(stat_ticks /proc/"$p"/stat sys))); done
    echo $t
}

rss_kib() {
    local t=0 p v
    for p in $(tree_pids "$1"); do
        v=$(awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0)
        t=$((t + ${v:-0}))
    done
    echo $t
}

heap_used_kib() {  # live heap after a full GC (ours only)
    "$jcmd" "$1" GC.run > /dev/null 2>&1 || { echo 0; return; }
    "$jcmd" "$1" GC.heap_info 2>/dev/null | awk '/total .*used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v } }
        END { print s + 0 }'
}

json_field() {  # json key
    echo "$1" | grep -o "\"$2\":[-0-9.]*" | head -n 1 | cut -d: -f2
}

nginx_conf() {  # dir port [directive for application live, e.g. "pull rtmp://origin/live" or "push rtmp://origin/live"]
    cat > "$1/nginx.conf" <<EOF
load_module $rtmp_module;
daemon off;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 12000; }
rtmp {
  server {
    listen 127.0.0.1:$2;
    chunk_size 60000;
    application live {
      live on;
$( [ -n "${3:-}" ] && echo "      $3;" )
    }
  }
}
EOF
}

srs_edge_conf() {  # dir port origin-host:port; SRS's defaults otherwise (one process, no HTTP server or API)
    cat > "$1/srs.conf" <<EOF
listen 127.0.0.1:$2;
max_connections 19000;
daemon off;
pid $1/srs.pid;
srs_log_tank file;
srs_log_file $1/srs.log;
srs_log_level warn;
ff_log_dir $1;
work_dir $1;
vhost __defaultVhost__ {
    cluster {
        mode remote;
        origin $3;
    }
}
EOF
}

# Starts one edge under test in DIR, relaying ("pull" or "push") with the origin at
# 127.0.0.1:ORIGIN_PORT, and echoes its pid. Ours gets the JVM flags given, then EDGE_JAVA_OPTS.
launch_edge() {  # kind port dir origin-port relay [our JVM flags]
    local kind=$1 port=$2 dir=$3 origin=$4 relay=$5 flags=${6:-}
    mkdir -p "$dir"
    if [ "$kind" = nginx ]; then
        # nginx-rtmp relays nothing by itself: pull for players, push for encoders.
        nginx_conf "$dir" "$port" "$relay rtmp://127.0.0.1:$origin/live"
        "$nginx_bin" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" > "$dir/stdout.log" 2>&1 &
    elif [ "$kind" = srs ]; then
        srs_edge_conf "$dir" "$port" "127.0.0.1:$origin"
        (cd "$dir" && exec "$srs_bin" -c "$dir/srs.conf") > "$dir/stdout.log" 2>&1 &
    else
        cat > "$dir/edge.conf" <<EOF
listen = ["127.0.0.1:$port"]
max_connections = 20000
log_level = warn
http_api.enabled = off
cluster { mode = remote, origin = ["127.0.0.1:$origin"] }
EOF
        # shellcheck disable=SC2086
        "$java" $flags ${EDGE_JAVA_OPTS:-} -jar "$edge_jar" -c "$dir/edge.conf" > "$dir/stdout.log" 2>&1 &
    fi
    echo $!
}
