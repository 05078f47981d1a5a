package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.message.Messages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import java.util.concurrent.TimeUnit;

/**
 * A publisher: sends the FLV file in real time ({@link FlvLoop}: paced by its timestamps on the
 * event loop, looping with timestamps that go on increasing). Every tag is a
 * {@code retainedDuplicate} of the shared file buffer, so N publishers cost no copies.
 *
 * <p>It writes only while the channel is writable and waits for it to drain otherwise, so a server
 * that does not take the stream at its rate shows as a timeline behind the wall clock
 * ({@link #report}) instead of an ever-growing outbound buffer. The socket's send buffer is kept
 * small ({@link #SEND_BUFFER}) for the same reason: Linux would otherwise absorb seconds of media.
 */
final class Publisher extends RtmpClient {

    /** RTMP spec 5.4.1: a larger chunk than the default 128 saves headers on video frames. */
    static final int CHUNK_SIZE = 4096;

    /** SO_SNDBUF (the kernel doubles it): ~2 s of a 500 kbps stream, ~0.5 s of 2 Mbps. */
    static final int SEND_BUFFER = 64 * 1024;

    private final FlvSource source;
    private final String name;
    private Channel channel;
    private int streamId;
    private long startNanos;
    private FlvLoop loop;
    private boolean waitingForWritable;

    // Written on the connection's loop only, read by the reporter (single writer).
    private volatile long messages;
    private volatile long bytes;
    private volatile long firstStartNanos;
    private volatile long closedTimelineMillis;
    private volatile long connectionTimelineMillis;

    Publisher(LoadOptions options, LoadStats stats, Bootstrap bootstrap, FlvSource source, String name) {
        super(options, stats, bootstrap.clone().option(ChannelOption.SO_SNDBUF, SEND_BUFFER));
        this.source = source;
        this.name = name;
    }

    @Override
    RtmpClientConfig config() {
        return RtmpClientConfig.publish(options.app(), options.tcUrl(), name)
                .chunkSize(CHUNK_SIZE)
                .build();
    }

    @Override
    void install(ChannelPipeline p) {
        super.install(p);
        p.addFirst("writable", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                Channel ch = ctx.channel();
                if (waitingForWritable && ch == channel && ch.isWritable()) {
                    waitingForWritable = false;
                    // Not from inside the flush that may have raised this event.
                    ch.eventLoop().execute(() -> pump(ch));
                }
                ctx.fireChannelWritabilityChanged();
            }
        });
    }

    @Override
    void onStarted(Channel ch, int id) {
        streamId = id;
        stats.publishersLive.incrementAndGet();
        channel = ch;
        startNanos = System.nanoTime();
        if (firstStartNanos == 0) {
            firstStartNanos = startNanos;
        }
        loop = new FlvLoop(source);
        connectionTimelineMillis = 0;
        waitingForWritable = false;
        pump(ch);
    }

    /** Sends every tag that is due while the channel takes it, flushes, and comes back when the next one is. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: this connection's loop
    private void pump(Channel ch) {
        if (ch != channel || !ch.isActive()) {
            return;
        }
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        boolean wrote = false;
        while (ch.isWritable()) {
            long due = loop.dueMillis();
            if (due > elapsedMillis) {
                if (wrote) {
                    ch.flush();
                }
                ch.eventLoop().schedule(() -> pump(ch), due - elapsedMillis, TimeUnit.MILLISECONDS);
                return;
            }
            if (loop.sendsCurrent()) {
                FlvTag tag = source.tag(loop.index());
                int csid = tag.type() == FlvTag.AUDIO
                        ? Messages.AUDIO_CHUNK_STREAM
                        : tag.type() == FlvTag.VIDEO ? Messages.VIDEO_CHUNK_STREAM : Messages.STREAM_CHUNK_STREAM;
                int size = tag.data().readableBytes();
                stats.sentMediaBytes.add(size);
                messages++;
                bytes += size;
                ch.write(new RawMessage(
                        csid,
                        due & 0xFFFFFFFFL,
                        tag.type(),
                        streamId,
                        tag.data().retainedDuplicate()));
                wrote = true;
            }
            connectionTimelineMillis = due;
            loop.advance();
        }
        // The server is not taking the stream as fast as it is due: resume when the buffer drains.
        waitingForWritable = true;
        ch.flush();
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: this connection's loop
    void onClosed() {
        if (channel != null) {
            stats.publishersLive.decrementAndGet();
            channel = null;
            closedTimelineMillis += connectionTimelineMillis;
            connectionTimelineMillis = 0;
        }
    }

    /** What this publisher sent so far, over all its connections. */
    PublishReport report(long nowNanos) {
        long first = firstStartNanos;
        return new PublishReport(
                name,
                messages,
                bytes,
                closedTimelineMillis + connectionTimelineMillis,
                first == 0 ? 0 : (nowNanos - first) / 1_000_000);
    }
}
