package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.client.RtmpClientConfig;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.message.Messages;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * A publisher: sends the FLV file in real time, paced by its timestamps on the event loop, looping
 * with timestamps that go on increasing (setup tags, i.e. script data and sequence headers, only on
 * the first pass). Every tag is a {@code retainedDuplicate} of the shared file buffer.
 */
final class Publisher extends RtmpClient {

    /** RTMP spec 5.4.1: a larger chunk than the default 128 saves headers on video frames. */
    static final int CHUNK_SIZE = 4096;

    private final FlvSource source;
    private final String name;
    private Channel channel;
    private int streamId;
    private long startNanos;
    private int index;
    private long loopOffsetMillis;
    private boolean firstPass;

    Publisher(LoadOptions options, LoadStats stats, Bootstrap bootstrap, FlvSource source, String name) {
        super(options, stats, bootstrap);
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
    void onStarted(Channel ch, int id) {
        streamId = id;
        stats.publishersLive.incrementAndGet();
        channel = ch;
        startNanos = System.nanoTime();
        index = 0;
        loopOffsetMillis = 0;
        firstPass = true;
        pump(ch);
    }

    /** Sends every tag that is due, flushes once, and comes back when the next one is. */
    private void pump(Channel ch) {
        if (ch != channel || !ch.isActive()) {
            return;
        }
        long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        boolean wrote = false;
        while (true) {
            if (index == source.size()) {
                index = 0;
                loopOffsetMillis += source.loopMillis();
                firstPass = false;
            }
            long due = loopOffsetMillis + source.offsetMillis(index);
            if (due > elapsedMillis) {
                if (wrote) {
                    ch.flush();
                }
                ch.eventLoop().schedule(() -> pump(ch), due - elapsedMillis, TimeUnit.MILLISECONDS);
                return;
            }
            if (firstPass || !source.isSetup(index)) {
                FlvTag tag = source.tag(index);
                int csid = tag.type() == FlvTag.AUDIO
                        ? Messages.AUDIO_CHUNK_STREAM
                        : tag.type() == FlvTag.VIDEO ? Messages.VIDEO_CHUNK_STREAM : Messages.STREAM_CHUNK_STREAM;
                stats.sentMediaBytes.add(tag.data().readableBytes());
                ch.write(new RawMessage(
                        csid,
                        due & 0xFFFFFFFFL,
                        tag.type(),
                        streamId,
                        tag.data().retainedDuplicate()));
                wrote = true;
            }
            index++;
        }
    }

    @Override
    void onClosed() {
        if (channel != null) {
            stats.publishersLive.decrementAndGet();
            channel = null;
        }
    }
}
