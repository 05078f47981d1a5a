package io.github.rtmpedge.edge.flv;

import io.github.rtmpedge.edge.session.ConnectionTracker;
import io.github.rtmpedge.edge.stream.AppMeters;
import io.github.rtmpedge.edge.stream.Role;
import io.github.rtmpedge.edge.stream.TrafficMeters;
import io.github.rtmpedge.edge.stream.delivery.FrameBatch;
import io.github.rtmpedge.edge.stream.delivery.FrameWriter;
import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.github.rtmpedge.edge.web.HttpGuard;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a stream's shared frames to one HTTP-FLV player: each frame's FLV tag form (built once
 * for every HTTP player) as a retained duplicate, a whole batch in one HTTP chunk (RFC 9112
 * section 7.1: size in hex, CRLF, data, CRLF), past the HTTP codec. HTTP/1.0 players get the
 * bytes unframed (the body ends when the connection closes). Confined to the connection's loop.
 */
class FlvFrameWriter implements FrameWriter {

    private static final ByteBuf CRLF = Unpooled.unreleasableBuffer(Unpooled.directBuffer(2)
            .writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII))
            .asReadOnly());
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final HttpGuard out;
    private final boolean chunked;
    private final List<ByteBuf> batch = new ArrayList<>();
    private int batchBytes;
    private boolean ended;

    private final TrafficMeters traffic;
    private final ConnectionTracker tracker;
    /** The player's meters by app, looked up at each flush (its role can change). */
    private final Supplier<AppMeters.Entry> appEntry;

    FlvFrameWriter(
            Channel channel,
            HttpGuard out,
            boolean chunked,
            TrafficMeters traffic,
            ConnectionTracker tracker,
            Supplier<AppMeters.Entry> appEntry) {
        this.appEntry = appEntry;
        this.channel = channel;
        this.out = out;
        this.chunked = chunked;
        this.traffic = traffic;
        this.tracker = tracker;
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void write(MediaFrame frame) {
        ByteBuf tag = frame.flvTag(channel.alloc()).retainedDuplicate();
        batch.add(tag);
        batchBytes += tag.readableBytes();
    }

    @Override
    public boolean writeBatch(FrameBatch frames) {
        ByteBuf tags = frames.flvTags(channel.alloc()).retainedDuplicate();
        batch.add(tags);
        batchBytes += tags.readableBytes();
        return true;
    }

    /** Bytes of the body written before the frames: the FLV header. */
    void writeBody(ByteBuf bytes) {
        batch.add(bytes);
        batchBytes += bytes.readableBytes();
        flush(0, 0);
    }

    @Override
    public void flush(int frames, long wireBytes) {
        if (!batch.isEmpty()) {
            if (chunked) {
                // A direct buffer: a heap one would be copied into one by the transport anyway.
                ByteBuf size = channel.alloc().directBuffer(10);
                size.writeCharSequence(Integer.toHexString(batchBytes), StandardCharsets.US_ASCII);
                size.writeShort('\r' << 8 | '\n');
                out.writeRaw(size);
            }
            for (ByteBuf b : batch) {
                out.writeRaw(b);
            }
            if (chunked) {
                out.writeRaw(CRLF.duplicate());
            }
            traffic.bytesSent().increment(Role.PLAYER, batchBytes);
            AppMeters.Entry app = appEntry.get();
            if (app != null) {
                app.sent(batchBytes);
            }
            tracker.bytesOut(batchBytes);
            batch.clear();
            batchBytes = 0;
        }
        channel.flush();
    }

    /** Ends the body cleanly (the last, empty chunk); nothing is written after. */
    void end() {
        flush(0, 0);
        if (chunked && !ended && channel.isActive()) {
            out.writeRaw(Unpooled.wrappedBuffer(LAST_CHUNK));
            channel.flush();
        }
        ended = true;
    }

    /** Releases what was written into the batch but not flushed (the connection went away). */
    void discard() {
        for (ByteBuf b : batch) {
            b.release();
        }
        batch.clear();
        batchBytes = 0;
    }
}
