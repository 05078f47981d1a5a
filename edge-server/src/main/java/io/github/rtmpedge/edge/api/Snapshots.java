package io.github.rtmpedge.edge.api;

import io.github.rtmpedge.edge.flv.HttpFlvServer;
import io.github.rtmpedge.edge.rtmp.RtmpSession;
import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.stream.LiveStream;
import io.github.rtmpedge.edge.stream.StreamKey;
import io.github.rtmpedge.edge.stream.StreamSnapshot;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The documents of {@code /api/v1/streams} and {@code /api/v1/clients}, and the kick of a client.
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

    /** One JSON object per stream (SRS's shape, ours beside it), ordered by app and name. */
    public static CompletableFuture<List<Map<String, Object>>> streams(Iterable<LiveStream> streams) {
        List<CompletableFuture<StreamSnapshot>> parts = new ArrayList<>();
        for (LiveStream stream : streams) {
            parts.add(on(stream.loop(), stream::snapshot));
        }
        long now = System.currentTimeMillis();
        return all(parts)
                .thenApply(list -> list.stream()
                        .sorted(Comparator.comparing(
                                        (StreamSnapshot s) -> s.key().app())
                                .thenComparing(s -> s.key().name()))
                        .map(s -> SrsShapes.stream(s, now))
                        .toList());
    }

    /**
     * One JSON object per client connection (SRS's shape, ours beside it), oldest first: RTMP
     * clients and HTTP-FLV players alike. {@code streamIds} gives the id of a stream by key.
     */
    public static CompletableFuture<List<Map<String, Object>>> clients(
            Iterable<Channel> connections, Function<StreamKey, String> streamIds) {
        List<CompletableFuture<ClientSnapshot>> parts = new ArrayList<>();
        for (Channel ch : connections) {
            parts.add(on(ch.eventLoop(), () -> snapshot(ch)));
        }
        return all(parts)
                .thenApply(list -> list.stream()
                        .sorted(Comparator.comparingLong(ClientSnapshot::uptimeMillis)
                                .reversed())
                        .map(c -> SrsShapes.client(
                                c,
                                c.app() == null || c.stream() == null
                                        ? null
                                        : streamIds.apply(new StreamKey(c.app(), c.stream()))))
                        .toList());
    }

    /** A page of {@code items}, SRS's way ({@code ?start=&count=}: count is at least 10). */
    public static <T> List<T> page(List<T> items, int start, int count) {
        return SrsShapes.page(items, start, count);
    }

    private static ClientSnapshot snapshot(Channel ch) {
        if (!ch.isActive()) {
            return null;
        }
        RtmpSession session = ch.pipeline().get(RtmpSession.class);
        return session != null ? session.snapshot() : HttpFlvServer.snapshot(ch);
    }

    /**
     * Kicks the client {@code id} among {@code connections}: completes true once it was told to
     * close on its loop, false if no such client is connected.
     */
    public static CompletableFuture<Boolean> kick(Iterable<Channel> connections, String id) {
        for (Channel ch : connections) {
            if (ch.id().asShortText().equals(id) && ch.isActive()) {
                return on(ch.eventLoop(), () -> {
                            RtmpSession session = ch.pipeline().get(RtmpSession.class);
                            if (session != null) {
                                session.kick();
                                return true;
                            }
                            return HttpFlvServer.kick(ch);
                        })
                        .thenApply(Boolean.TRUE::equals);
            }
        }
        return CompletableFuture.completedFuture(false);
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
