#!/usr/bin/env bash
# Many streams, few players each; many encoders on the publish edge: rtmp-edge, nginx-rtmp and, when
# given, SRS side by side, in one run on this machine.
#
#   edge-bench/many-streams.sh [--streams 300] [--players-per-stream 5] [--encoders 200] [--window 60]
#                              [--settle 10] [--ramp 500] [--parts "play publish"] [--edges "nginx ours"]
#                              [--srs /path/to/objs/srs] [--threads 1] [--out DIR]
#                              [--profile /path/to/libasyncProfiler.so]
#   A smoke run: --streams 20 --encoders 20 --window 10 --settle 5
#
# The media: a ~500 kbps FLV (640x360 25 fps H.264 430 kbps CBR, keyframe every 2 s, AAC 64 kbps, 30 s),
# made once with ffmpeg and cached in the output directory. Every stream is published by the load
# client's publish mode (one process, one file, each stream paced in real time).
#
# Part "play": one nginx-rtmp origin gets --streams streams (s0 .. s<N-1>) from the publish mode. For
# each edge a fresh process pulls from it (ours: cluster.mode = remote, `java -jar` without JVM flags,
# as a user runs it, EDGE_JAVA_OPTS adds some; nginx-rtmp: `pull`, one worker; SRS: edge mode) and the
# load client ramps --players-per-stream players on every stream. After the ramp plus --settle seconds
# the edge's CPU is read from /proc over --window seconds. Printed: CPU, RSS, RSS above the idle
# process per stream and per player, players fed >= 95% of real time.
#
# Part "publish": for each edge a fresh nginx-rtmp origin and a fresh edge forwarding publishers to it
# (ours: the edge with an origin; nginx-rtmp: `push`; SRS: edge mode), then --encoders publishers
# (e0 .. e<M-1>, publish mode) on the edge. CPU over the window as above, RSS, RSS above idle per
# stream, publishers that kept real time, and how many streams the origin really has: one load-client
# player per stream at the origin, counting those that got a keyframe.
#
# --profile: async-profiler records our edge's CPU during each window only (DIR/play-ours.cpu.collapsed,
# DIR/publish-ours.cpu.collapsed), as in compare-edges.sh.
#
# Everything (configs, logs, RESULT/STREAM lines, play.tsv, publish.tsv) stays in --out (default
# edge-bench/target/many-streams).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
streams=300
per_stream=5
encoders=200
window=60
settle=10
ramp=500
threads=1
parts="play publish"
edges=""
srs_bin=""
out="$root/edge-bench/target/many-streams"
profiler=""
while [ $# -gt 0 ]; do
    case "$1" in
        --streams) streams=$2; shift 2 ;;
        --players-per-stream) per_stream=$2; shift 2 ;;
        --encoders) encoders=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --ramp) ramp=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --parts) parts=$2; shift 2 ;;
        --edges) edges=$2; shift 2 ;;
        --srs) srs_bin=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --profile) profiler=$2; shift 2 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench-common.sh
. "$here/bench-common.sh"

media=$out/media-500k.flv
if [ ! -f "$media" ]; then
    echo "making $media (640x360 25 fps, 430k video CBR with filler, 64k AAC, keyframe every 2 s, 30 s)"
    # nal-hrd=cbr: x264 pads to the rate; the test pattern alone would come out at ~400 kbps.
    ffmpeg -hide_banner -nostdin -y -loglevel error \
        -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 30 \
        -c:v libx264 -preset veryfast -b:v 430k -maxrate 430k -bufsize 430k -g 50 -keyint_min 50 -sc_threshold 0 \
        -x264-params nal-hrd=cbr \
        -pix_fmt yuv420p -c:a aac -b:a 64k -f flv "$media.part"
    mv "$media.part" "$media"
fi

load_client() {  # log-file args... (in the background; echoes nothing, sets $!)
    local log=$1
    shift
    "$java" -Xmx2g -XX:+UseParallelGC -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient --epoll \
        --threads "$threads" "$@" > "$log" 2>&1 &
}

start_origin() {  # dir -> echoes "pid port"
    local dir=$1 port
    port=$(free_port)
    mkdir -p "$dir"
    nginx_conf "$dir" "$port" ""
    "$nginx_bin" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" > "$dir/stdout.log" 2>&1 &
    echo "$! $port"
}

wait_line() {  # file pattern seconds: waits until the file has a line matching the (extended) pattern
    local deadline=$((SECONDS + $3))
    until grep -Eq "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "no '$2' in $1 after $3 s" >&2; return 1; }
        sleep 0.5
    done
}

stop_pid() {  # pid: TERM and wait (the load client prints its STREAM and RESULT lines on TERM)
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

measure() {  # pid [collapsed-stacks file: profile ours] -> echoes "ticks-delta seconds" over the window
    local c0 c1 t0 t1 profiling=""
    if [ -n "$profiler" ] && [ -n "${2:-}" ]; then
        "$jcmd" "$1" JVMTI.agent_load "$profiler" "\"start,event=cpu,interval=1ms\"" > /dev/null && profiling=yes
    fi
    c0=$(cpu_ticks "$1"); t0=$(date +%s.%N)
    sleep "$window"
    c1=$(cpu_ticks "$1"); t1=$(date +%s.%N)
    if [ -n "$profiling" ]; then
        "$jcmd" "$1" JVMTI.agent_load "$profiler" "\"stop,file=$2,collapsed\"" > /dev/null
    fi
    awk -v d="$((c1 - c0))" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%d %.3f\n", d, t1 - t0 }'
}

result_of() {  # log -> the RESULT json
    grep '^RESULT ' "$1" | tail -n 1 | cut -d' ' -f2-
}

echo "many streams: $streams streams x $per_stream players, $encoders encoders; window ${window}s, settle ${settle}s;" \
    "edges: $edges; $(nproc) cores; $(uname -r)"
echo "load before: $(uptime)"

if [[ " $parts " == *" play "* ]]; then
    players=$((streams * per_stream))
    read -r origin_pid origin_port < <(start_origin "$out/play-origin")
    pids_to_kill+=("$origin_pid")
    wait_port 127.0.0.1 "$origin_port" 10
    load_client "$out/play-feeder.log" --url "rtmp://127.0.0.1:$origin_port/live" --stream-prefix s \
        --publish "$streams" --flv "$media" --duration 100000s
    feeder=$!
    pids_to_kill+=("$feeder")
    wait_line "$out/play-feeder.log" "publishers=$streams/$streams" 60
    printf 'edge\tstreams\tplayers\tcpu_cores\trss_mib\trss_idle_mib\trss_kib_per_stream\trss_kib_per_player\tfed\tfed_pct\tmedia_mbps\tclient_cpu\n' \
        > "$out/play.tsv"
    for kind in $edges; do
        port=$(free_port)
        pid=$(launch_edge "$kind" "$port" "$out/play-$kind" "$origin_port" pull)
        pids_to_kill+=("$pid")
        wait_port 127.0.0.1 "$port" 30
        sleep 2   # the process settles after start-up (JIT, nginx worker fork)
        idle=$(rss_kib "$pid")
        ramp_s=$(( (players + ramp - 1) / ramp ))
        load_client "$out/play-$kind.client.log" --url "rtmp://127.0.0.1:$port/live" --stream-prefix s \
            --streams "$streams" --players "$players" --ramp "$ramp/s" --duration "$((ramp_s + settle + window + 2))s" --quiet
        client=$!
        pids_to_kill+=("$client")
        sleep $((ramp_s + settle))
        read -r ticks secs < <(measure "$pid" "$( [ "$kind" = ours ] && echo "$out/play-ours.cpu.collapsed")")
        rss=$(rss_kib "$pid")
        wait "$client" || true
        result=$(result_of "$out/play-$kind.client.log")
        stop_pid "$pid"
        fed=$(json_field "$result" playersFed); fed=${fed:-0}
        awk -v k="$kind" -v s="$streams" -v n="$players" -v ticks="$ticks" -v secs="$secs" -v hz="$clk_tck" \
            -v rss="$rss" -v idle="$idle" -v fed="$fed" -v mbps="$(json_field "$result" mediaMbps)" \
            -v ccpu="$(json_field "$result" cpuCores)" 'BEGIN {
                printf "%s\t%d\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%.1f\t%.1f\t%s\n", k, s, n, ticks / hz / secs, rss / 1024,
                    idle / 1024, (rss - idle) / s, (rss - idle) / n, fed, 100 * fed / n, mbps, ccpu
            }' | tee -a "$out/play.tsv"
    done
    stop_pid "$feeder"
    echo "feeder: $(grep -c 'kept=yes' "$out/play-feeder.log") of $streams streams kept real time;" \
        "$(grep '^final: ' "$out/play-feeder.log" | tail -n 1)"
    stop_pid "$origin_pid"
fi

if [[ " $parts " == *" publish "* ]]; then
    printf 'edge\tencoders\tcpu_cores\trss_mib\trss_idle_mib\trss_kib_per_stream\tpublishers_real_time\tsent_mbps\torigin_streams_with_keyframe\tclient_cpu\n' \
        > "$out/publish.tsv"
    for kind in $edges; do
        read -r origin_pid origin_port < <(start_origin "$out/publish-$kind-origin")
        pids_to_kill+=("$origin_pid")
        wait_port 127.0.0.1 "$origin_port" 10
        port=$(free_port)
        pid=$(launch_edge "$kind" "$port" "$out/publish-$kind" "$origin_port" push)
        pids_to_kill+=("$pid")
        wait_port 127.0.0.1 "$port" 30
        sleep 2
        idle=$(rss_kib "$pid")
        load_client "$out/publish-$kind.encoders.log" --url "rtmp://127.0.0.1:$port/live" --stream-prefix e \
            --publish "$encoders" --flv "$media" --duration 100000s
        enc=$!
        pids_to_kill+=("$enc")
        wait_line "$out/publish-$kind.encoders.log" "publishers=$encoders/$encoders" 60 || true
        sleep "$settle"
        read -r ticks secs < <(measure "$pid" "$( [ "$kind" = ours ] && echo "$out/publish-ours.cpu.collapsed")")
        rss=$(rss_kib "$pid")
        # What the origin really has: one player per stream, each counted when it got a keyframe (2 s GOP).
        "$java" -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient --url "rtmp://127.0.0.1:$origin_port/live" \
            --stream-prefix e --streams "$encoders" --players "$encoders" --ramp 200/s --duration "$((encoders / 200 + 5))s" --quiet \
            > "$out/publish-$kind.origin-check.log" 2>&1 || true
        received=$(json_field "$(result_of "$out/publish-$kind.origin-check.log")" firstKeyframes)
        stop_pid "$enc"
        result=$(result_of "$out/publish-$kind.encoders.log")
        stop_pid "$pid"
        stop_pid "$origin_pid"
        awk -v k="$kind" -v m="$encoders" -v ticks="$ticks" -v secs="$secs" -v hz="$clk_tck" -v rss="$rss" -v idle="$idle" \
            -v rt="$(json_field "$result" publishersRealTime)" -v sent="$(json_field "$result" sentMediaMbps)" \
            -v got="${received:-0}" -v ccpu="$(json_field "$result" cpuCores)" 'BEGIN {
                printf "%s\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%s\t%s\t%d\t%s\n", k, m, ticks / hz / secs, rss / 1024, idle / 1024,
                    (rss - idle) / m, rt, sent, got, ccpu
            }' | tee -a "$out/publish.tsv"
    done
fi

echo "load after: $(uptime)"
for f in play publish; do
    if [ -f "$out/$f.tsv" ] && [[ " $parts " == *" $f "* ]]; then
        echo
        echo "== $f ($out/$f.tsv) =="
        column -t -s $'\t' "$out/$f.tsv"
    fi
done
