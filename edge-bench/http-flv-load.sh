#!/usr/bin/env bash
# HTTP-FLV beside RTMP on our edge, CPU and memory in the same run.
#
#   edge-bench/http-flv-load.sh [--players 1000] [--window 30] [--settle 10] [--ramp 500] [--out DIR]
#
# Our edge (standalone, the jar of edge-server/target, a pre-touched 256 MiB heap as in
# compare-edges.sh) gets one stream from ffmpeg (`-re -stream_loop -1 -c copy` of a ~2.1 Mbps
# 1280x720 H.264/AAC FLV, made once and cached). Two runs, a fresh edge each:
#   mixed: N RTMP players and N HTTP-FLV players of that stream, ramping together;
#   rtmp:  2N RTMP players, the same number of connections over RTMP alone, for comparison.
# After the ramp and --settle seconds the edge's CPU (utime + stime from /proc, in cores) is read
# over --window seconds, then its RSS. The load client's RESULT line gives the players fed >= 95%
# of real time. Then 20 late joiners of each protocol (10/s) on the warm stream give the time to
# first keyframe (the ramp's own figure mostly measures the loaded load client). Everything stays in --out
# (default edge-bench/target/http-flv-load); the table is printed at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
players=1000
window=30
settle=10
ramp=500
out="$root/edge-bench/target/http-flv-load"
heap="-Xms256m -Xmx256m -XX:+AlwaysPreTouch"
while [ $# -gt 0 ]; do
    case "$1" in
        --players) players=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --ramp) ramp=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
edge_jar=$root/edge-server/target/edge-server.jar
bench_jar=$root/edge-bench/target/benchmarks.jar
for jar in "$edge_jar" "$bench_jar"; do
    [ -f "$jar" ] || { echo "$jar is missing: mvn -pl edge-bench -am package -DskipTests" >&2; exit 2; }
done
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
mkdir -p "$out"
pids_to_kill=()
cleanup() { for p in "${pids_to_kill[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
tree_pids() { local p=$1 c; echo "$p"; for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree_pids "$c"; done; }
cpu_ticks() {
    local t=0 p f
    for p in $(tree_pids "$1"); do
        f=$(cat /proc/"$p"/stat 2>/dev/null) || continue
        f=${f##*) }
        set -- $f
        t=$((t + ${12} + ${13}))
    done
    echo $t
}
rss_kib() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status; }
json_field() { echo "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"; }

media=$out/media-2mbps.flv
if [ ! -f "$media" ]; then
    ffmpeg -hide_banner -nostdin -y -loglevel error \
        -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 60 \
        -c:v libx264 -preset veryfast -b:v 2000k -maxrate 2000k -bufsize 2000k -g 60 -keyint_min 60 -sc_threshold 0 \
        -pix_fmt yuv420p -c:a aac -b:a 128k -f flv "$media.part"
    mv "$media.part" "$media"
fi

hz=$(getconf CLK_TCK)
printf 'run\trtmp_players\tflv_players\tcpu_cores\trss_mib\trss_idle_mib\tfed\tclient_cpu\tlate_rtmp_p50_ms\tlate_rtmp_p99_ms\tlate_flv_p50_ms\tlate_flv_p99_ms\tmedia_mbps_per_player\n' > "$out/results.tsv"
run() {  # label rtmp_n flv_n
    local label=$1 rtmp_n=$2 flv_n=$3 port api flv dir pid pub client
    port=$(free_port); api=$(free_port); flv=$(free_port); dir=$out/$label; mkdir -p "$dir"
    cat > "$dir/edge.conf" <<CONF
listen = ["127.0.0.1:$port"]
max_connections = 100000
http_api { listen = "127.0.0.1:$api" }
http_server { enabled = on, listen = "127.0.0.1:$flv", max_connections = 100000 }
CONF
    "$java" $heap -XX:+UseParallelGC -jar "$edge_jar" -c "$dir/edge.conf" > "$dir/edge.log" 2>&1 &
    pid=$!; pids_to_kill+=("$pid")
    until curl -fs "http://127.0.0.1:$api/healthz" > /dev/null; do sleep 0.2; done
    ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 -i "$media" -c copy -f flv \
        "rtmp://127.0.0.1:$port/live/bench" > "$dir/ffmpeg.log" 2>&1 &
    pub=$!; pids_to_kill+=("$pub")
    until curl -fs "http://127.0.0.1:$api/api/v1/streams" | grep -q '"name":"bench"'; do sleep 0.2; done
    sleep 3
    local rss_idle total ramp_s duration c0 c1 t0 t1 rss result
    rss_idle=$(rss_kib "$pid")
    total=$((rtmp_n + flv_n)); ramp_s=$(( (total + ramp - 1) / ramp )); duration=$((ramp_s + settle + window + 5))
    "$java" -Xmx3g -XX:+UseParallelGC -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient \
        --url "rtmp://127.0.0.1:$port/live/bench" --players "$rtmp_n" \
        --flv-players "$flv_n" --flv-url "http://127.0.0.1:$flv/live/bench.flv" \
        --ramp "$ramp/s" --duration "${duration}s" --threads 1 --epoll --quiet > "$dir/client.log" 2>&1 &
    client=$!; pids_to_kill+=("$client")
    sleep $((ramp_s + settle))
    curl -fs "http://127.0.0.1:$api/api/v1/summaries" > "$dir/summaries.json" || true
    c0=$(cpu_ticks "$pid"); t0=$(date +%s.%N)
    sleep "$window"
    c1=$(cpu_ticks "$pid"); t1=$(date +%s.%N)
    rss=$(rss_kib "$pid")
    "$java" -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient --url "rtmp://127.0.0.1:$port/live/bench" \
        --players 20 --ramp 10/s --duration 4s --quiet > "$dir/late-rtmp.log" 2>&1 || true
    "$java" -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient --url "rtmp://127.0.0.1:$port/live/bench" \
        --flv-players 20 --flv-url "http://127.0.0.1:$flv/live/bench.flv" --ramp 10/s --duration 4s --quiet \
        > "$dir/late-flv.log" 2>&1 || true
    local late_rtmp late_flv
    late_rtmp=$(grep '^RESULT ' "$dir/late-rtmp.log" | tail -n 1 | cut -d' ' -f2-)
    late_flv=$(grep '^RESULT ' "$dir/late-flv.log" | tail -n 1 | cut -d' ' -f2-)
    wait "$client" || true
    result=$(grep '^RESULT ' "$dir/client.log" | tail -n 1 | cut -d' ' -f2-)
    kill "$pub" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    awk -v l="$label" -v r="$rtmp_n" -v f="$flv_n" -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" \
        -v rss="$rss" -v idle="$rss_idle" -v fed="$(json_field "$result" playersFed)" \
        -v ccpu="$(json_field "$result" cpuCores)" \
        -v rp50="$(json_field "$late_rtmp" firstKeyframeP50Ms)" -v rp99="$(json_field "$late_rtmp" firstKeyframeP99Ms)" \
        -v fp50="$(json_field "$late_flv" firstKeyframeP50Ms)" -v fp99="$(json_field "$late_flv" firstKeyframeP99Ms)" \
        -v mbps="$(json_field "$result" mediaMbps)" -v n="$((rtmp_n + flv_n))" \
        'BEGIN { printf "%s\t%d\t%d\t%.3f\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\n", l, r, f, (c1 - c0) / hz / (t1 - t0),
                 rss / 1024, idle / 1024, fed, ccpu, rp50, rp99, fp50, fp99, mbps / n }' >> "$out/results.tsv"
}
echo "window ${window}s, settle ${settle}s, ramp ${ramp}/s; $(nproc) cores; $(uname -r)"
run mixed "$players" "$players"
run rtmp "$((2 * players))" 0
column -t -s $'\t' "$out/results.tsv"
