#!/usr/bin/env bash
# Edge fan-out benchmark: rtmp-edge, nginx-rtmp (pull relay) and, when given, SRS (edge mode) side by
# side, in one run on this machine.
#
#   edge-bench/compare-edges.sh [--points "500 1000 2000"] [--ours-extra "5000"] [--window 60] [--settle 10]
#                               [--ramp 500] [--threads 1] [--edges "nginx ours"] [--out DIR]
#                               [--srs /path/to/objs/srs] [--profile /path/to/libasyncProfiler.so]
#                               [--tuned | --jvm "FLAGS"] [--video-kbps 2000]
#   --srs: an SRS binary; adds "srs" to the edges (unless --edges is given): one SRS process in edge
#   mode (cluster mode remote) pulling from the same origin, daemon off, logging to a file.
#   Our edge runs as `java -jar` with no flags (what a user gets); --tuned: a fixed pre-touched
#   256 MiB heap and ParallelGC; --jvm: these flags instead. --video-kbps: the stream's video bitrate.
#   --profile: async-profiler (the tools.profiler:async-profiler jar on Maven Central carries
#   linux-x64/libasyncProfiler.so) records our edge's CPU during each measuring window only, as
#   collapsed stacks in DIR/ours-N/cpu.collapsed. EDGE_JAVA_OPTS adds JVM options to our edge; with
#   -XX:NativeMemoryTracking=summary in it, DIR/ours-N/nmt.txt gets the JVM's memory by category.
#
# One nginx-rtmp origin (127.0.0.1, random port) is fed by ffmpeg with a ~2.1 Mbps H.264/AAC FLV (made
# once with ffmpeg, cached in the output directory). For each edge under test and each player count N,
# a fresh edge process is started in front of that origin (ours: cluster.mode = remote; nginx-rtmp:
# `pull` relay, one worker; SRS: edge mode), the load client ramps N players of the same stream against it, and after
# the ramp plus --settle seconds the edge's CPU (utime + stime of all its processes from /proc, in
# cores) is measured over --window seconds. Printed per point: edge CPU, edge RSS (and above the idle
# process, per player), players fed >= 95% of real time, p50/p99 time to first keyframe, the load
# client's own CPU; then our figures over nginx-rtmp's (and SRS's) at the same N. Everything (configs, logs, raw
# RESULT lines, results.tsv) stays in --out (default edge-bench/target/compare-edges).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
points="500 1000 2000"
ours_extra="5000"
window=60
settle=10
ramp=500
threads=1
edges=""
srs_bin=""
out="$root/edge-bench/target/compare-edges"
# Our edge runs as a user runs it: `java -jar`, no JVM flags (the figures to lead with). --tuned
# gives it a fixed, pre-touched heap and ParallelGC instead: RSS then moves with what connections
# cost outside the heap (direct buffers, sockets' user-space state, threads), not with how far
# garbage has spread; what they cost inside the heap is measured separately either way (live heap
# after a full GC, per player). --jvm sets any other flags.
tuned_jvm="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseParallelGC"
heap=""
video_kbps=2000
profiler=""
while [ $# -gt 0 ]; do
    case "$1" in
        --points) points=$2; shift 2 ;;
        --ours-extra) ours_extra=$2; shift 2 ;;
        --window) window=$2; shift 2 ;;
        --settle) settle=$2; shift 2 ;;
        --ramp) ramp=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --edges) edges=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --heap|--jvm) heap=$2; shift 2 ;;
        --tuned) heap=$tuned_jvm; shift ;;
        --video-kbps) video_kbps=$2; shift 2 ;;
        --profile) profiler=$2; shift 2 ;;
        --srs) srs_bin=$2; shift 2 ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

# shellcheck source=bench-common.sh
. "$here/bench-common.sh"

if [ "$video_kbps" = 2000 ]; then media=$out/media-2mbps.flv; else media=$out/media-${video_kbps}k.flv; fi
if [ ! -f "$media" ]; then
    echo "making $media (1280x720 30 fps, ${video_kbps}k video CBR, 128k AAC, keyframe every 2 s, 60 s)"
    ffmpeg -hide_banner -nostdin -y -loglevel error \
        -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 60 \
        -c:v libx264 -preset veryfast -b:v ${video_kbps}k -maxrate ${video_kbps}k -bufsize ${video_kbps}k -g 60 -keyint_min 60 -sc_threshold 0 \
        -pix_fmt yuv420p -c:a aac -b:a 128k -f flv "$media.part"
    mv "$media.part" "$media"
fi

# The origin and its publisher, for the whole run.
origin_port=$(free_port)
mkdir -p "$out/origin"
nginx_conf "$out/origin" "$origin_port" ""
"$nginx_bin" -p "$out/origin/" -e "$out/origin/error.log" -c "$out/origin/nginx.conf" &
pids_to_kill+=($!)
wait_port 127.0.0.1 "$origin_port" 10
ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 -i "$media" -c copy -f flv \
    "rtmp://127.0.0.1:$origin_port/live/bench" > "$out/publisher.log" 2>&1 &
pids_to_kill+=($!)

printf 'edge\tplayers\tcpu_cores\trss_mib\trss_idle_mib\trss_kib_per_player\theap_kib_per_player\tfed\tfed_pct\tramp_ttfk_p50_ms\tramp_ttfk_p99_ms\tlate_ttfk_p50_ms\tlate_ttfk_p99_ms\tmedia_mbps_per_player\tclient_cpu\tsys_cores\tjit_cores\n' \
    > "$out/results.tsv"
echo "origin 127.0.0.1:$origin_port; window ${window}s, settle ${settle}s, ramp ${ramp}/s; $(nproc) cores; $(uname -r)"
for kind in $edges; do
    list=$points
    [ "$kind" = ours ] && list="$points $ours_extra"
    for n in $list; do
        port=$(free_port)
        pid=$(launch_edge "$kind" "$port" "$out/$kind-$n" "$origin_port" pull "$heap")
        pids_to_kill+=("$pid")
        wait_port 127.0.0.1 "$port" 30
        sleep 2   # the process settles after start-up (JIT, nginx worker fork)
        idle=$(rss_kib "$pid")
        heap_idle=0
        [ "$kind" = ours ] && heap_idle=$(heap_used_kib "$pid")
        ramp_s=$(( (n + ramp - 1) / ramp ))
        duration=$((ramp_s + settle + window + 12))
        "$java" -Xmx3g -XX:+UseParallelGC -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient \
            --url "rtmp://127.0.0.1:$port/live/bench" --players "$n" --ramp "$ramp/s" --duration "${duration}s" \
            --threads "$threads" --epoll --quiet > "$out/$kind-$n.client.log" 2>&1 &
        client=$!
        pids_to_kill+=("$client")
        sleep $((ramp_s + settle))
        profiling=""
        if [ -n "$profiler" ] && [ "$kind" = ours ]; then
            "$jcmd" "$pid" JVMTI.agent_load "$profiler" "\"start,event=cpu,interval=1ms\"" > /dev/null && profiling=yes
        fi
        c0=$(cpu_ticks "$pid"); s0=$(sys_ticks "$pid"); j0=$(jit_ticks "$pid"); t0=$(date +%s.%N)
        sleep "$window"
        c1=$(cpu_ticks "$pid"); s1=$(sys_ticks "$pid"); j1=$(jit_ticks "$pid"); t1=$(date +%s.%N)
        if [ -n "$profiling" ]; then
            "$jcmd" "$pid" JVMTI.agent_load "$profiler" "\"stop,file=$out/$kind-$n/cpu.collapsed,collapsed\"" > /dev/null
        fi
        rss=$(rss_kib "$pid")
        if [ "$kind" = ours ] && [[ "${EDGE_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
            "$jcmd" "$pid" VM.native_memory summary > "$out/$kind-$n/nmt.txt" 2>&1 || true
        fi
        # Late joiners: 20 players joining a running, warm stream one by one (10/s) while the N play.
        "$java" -cp "$bench_jar" io.github.rtmpedge.bench.load.LoadClient \
            --url "rtmp://127.0.0.1:$port/live/bench" --players 20 --ramp 10/s --duration 4s --quiet \
            > "$out/$kind-$n.late.log" 2>&1 || true
        late=$(grep '^RESULT ' "$out/$kind-$n.late.log" | tail -n 1 | cut -d' ' -f2-)
        heap_live=0
        [ "$kind" = ours ] && heap_live=$(heap_used_kib "$pid")
        wait "$client" || true
        result=$(grep '^RESULT ' "$out/$kind-$n.client.log" | tail -n 1 | cut -d' ' -f2-)
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        fed=$(json_field "$result" playersFed); fed=${fed:-0}
        awk -v k="$kind" -v n="$n" -v c0="$c0" -v c1="$c1" -v s0="$s0" -v s1="$s1" -v j0="$j0" -v j1="$j1" -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" \
            -v rss="$rss" -v idle="$idle" -v fed="$fed" -v hi="$heap_idle" -v hl="$heap_live" \
            -v lp50="$(json_field "$late" firstKeyframeP50Ms)" -v lp99="$(json_field "$late" firstKeyframeP99Ms)" -v p50="$(json_field "$result" firstKeyframeP50Ms)" \
            -v p99="$(json_field "$result" firstKeyframeP99Ms)" -v mbps="$(json_field "$result" mediaMbps)" \
            -v ccpu="$(json_field "$result" cpuCores)" 'BEGIN {
                cores = (c1 - c0) / hz / (t1 - t0)
                printf "%s\t%d\t%.3f\t%.1f\t%.1f\t%.1f\t%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%.3f\t%s\t%.3f\t%s\n", k, n, cores, rss / 1024, idle / 1024,
                    (rss - idle) / n, (k == "ours" ? sprintf("%.1f", (hl - hi) / n) : "-"), fed, 100 * fed / n, p50, p99,
                    lp50, lp99, (n > 0 ? mbps / n : 0), ccpu, (s1 - s0) / hz / (t1 - t0),
                    (k == "ours" ? sprintf("%.3f", (j1 - j0) / hz / (t1 - t0)) : "-")
            }' | tee -a "$out/results.tsv"
    done
done

echo
echo "== results ($out/results.tsv) =="
column -t -s $'\t' "$out/results.tsv"
echo
echo "== ours / the others at the same player count (ratio < 1: ours uses less) =="
awk -F'\t' 'NR > 1 { key = $2; cpu[$1, key] = $3; rss[$1, key] = $4; late[$1, key] = $12; if ($1 == "ours") n[key] = 1 }
    function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
    function val(v) { return v == "" ? "-" : v }
    END {
        printf "%-8s %-9s %-9s %-9s %-11s %-9s %-9s %-9s %-9s %-11s %-9s %s\n", "players", "cpu ours", "cpu nginx", "cpu srs", "cpu o/nginx", "cpu o/srs",
            "rss ours", "rss nginx", "rss srs", "rss o/nginx", "rss o/srs", "late ttfk p50 ms o/n/s"
        for (k in n) printf "%-8s %-9s %-9s %-9s %-11s %-9s %-9s %-9s %-9s %-11s %-9s %s/%s/%s\n", k, cpu["ours", k], val(cpu["nginx", k]), val(cpu["srs", k]),
            ratio(cpu["ours", k], cpu["nginx", k]), ratio(cpu["ours", k], cpu["srs", k]), rss["ours", k], val(rss["nginx", k]), val(rss["srs", k]),
            ratio(rss["ours", k], rss["nginx", k]), ratio(rss["ours", k], rss["srs", k]), late["ours", k], val(late["nginx", k]), val(late["srs", k])
    }' "$out/results.tsv" | sort -n
