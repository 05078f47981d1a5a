package io.github.rtmpedge.edge.api;

import io.github.rtmpedge.edge.rtmp.RtmpSession;
import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.StreamSnapshot;
import io.github.rtmpedge.rtmp.flv.AudioCodec;
import io.github.rtmpedge.rtmp.flv.VideoCodec;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The documents of {@code /api/v1/streams} and {@code /api/v1/clients}.
 *
 * <p>A stream's state is confined to its event loop and a connection's to its own, so a snapshot
 * is taken by a task submitted to that loop, never by reading fields from the HTTP thread. The
 * answer is a future completed when every task has answered (or, for a loop that is busy or gone,
 * after {@link #TIMEOUT_MILLIS}, leaving that item out); the HTTP handler writes its response from
 * the future's callback and never blocks its own loop. Nothing here holds a query: tokens stay
 * in the server.
 */
public final class Snapshots {

    /** How long one stream or connection may take to answer before the document leaves it out. */
    public static final long TIMEOUT_MILLIS = 1000;

    private Snapshots() {}

    /** One JSON object per stream, ordered by app and name. */
    public static CompletableFuture<List<Map<String, Object>>> streams(Iterable<LiveStream> streams) {
        List<CompletableFuture<StreamSnapshot>> parts = new ArrayList<>();
        for (LiveStream stream : streams) {
            parts.add(on(stream.loop(), stream::snapshot));
        }
        return all(parts)
                .thenApply(list -> list.stream()
                        .sorted(Comparator.comparing(
                                        (StreamSnapshot s) -> s.key().app())
                                .thenComparing(s -> s.key().name()))
                        .map(Snapshots::stream)
                        .toList());
    }

    /** One JSON object per client connection, oldest first. */
    public static CompletableFuture<List<Map<String, Object>>> clients(Iterable<Channel> connections) {
        List<CompletableFuture<ClientSnapshot>> parts = new ArrayList<>();
        for (Channel ch : connections) {
            parts.add(on(ch.eventLoop(), () -> {
                RtmpSession session = ch.pipeline().get(RtmpSession.class);
                return session == null || !ch.isActive() ? null : session.snapshot();
            }));
        }
        return all(parts)
                .thenApply(list -> list.stream()
                        .sorted(Comparator.comparingLong(ClientSnapshot::uptimeMillis)
                                .reversed())
                        .map(Snapshots::client)
                        .toList());
    }

    static Map<String, Object> stream(StreamSnapshot s) {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put(
                "codec",
                s.videoCodec() == VideoCodec.UNKNOWN ? null : s.videoCodec().name());
        video.put("width", s.width() == 0 ? null : s.width());
        video.put("height", s.height() == 0 ? null : s.height());
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put(
                "codec",
                s.audioCodec() == AudioCodec.UNKNOWN ? null : s.audioCodec().name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", s.key().app());
        out.put("name", s.key().name());
        out.put("source", s.sourceKind());
        out.put("origin", s.origin().isEmpty() ? null : s.origin());
        out.put("players", s.players());
        out.put("bitrate_in_bps", s.bitrateIn());
        out.put("bitrate_out_bps", s.bitrateOut());
        out.put("bytes_in", s.bytesIn());
        out.put("bytes_out", s.bytesOut());
        out.put("frames_in", s.framesIn());
        out.put("uptime_ms", s.uptimeMillis());
        out.put("video", video);
        out.put("audio", audio);
        return out;
    }

    static Map<String, Object> client(ClientSnapshot c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("role", c.role());
        out.put("remote", c.remote());
        out.put("app", c.app());
        out.put("stream", c.stream());
        out.put("bytes_in", c.bytesIn());
        out.put("bytes_out", c.bytesOut());
        out.put("uptime_ms", c.uptimeMillis());
        if (c.player()) {
            out.put("frames_offered", c.framesOffered());
            out.put("frames_sent", c.framesSent());
            out.put("frames_dropped", c.framesDropped());
        }
        return out;
    }

    /** {@code task} run on {@code loop}; null if the loop refuses it, fails it or takes too long. */
    private static <T> CompletableFuture<T> on(EventExecutor loop, Supplier<T> task) {
        CompletableFuture<T> part = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    part.complete(task.get());
                } catch (RuntimeException e) {
                    part.complete(null);
                }
            });
        } catch (RejectedExecutionException shutDown) {
            part.complete(null);
        }
        return part.completeOnTimeout(null, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> parts.stream()
                        .map(CompletableFuture::join)
                        .filter(Objects::nonNull)
                        .toList());
    }
}
