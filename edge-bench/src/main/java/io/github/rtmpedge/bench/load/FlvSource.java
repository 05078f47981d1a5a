package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.flv.AudioTags;
import io.github.rtmpedge.rtmp.flv.FlvReader;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file held in memory, as the tags publishers send: each tag's data is a slice of one
 * direct buffer, shared by every publisher through {@code retainedDuplicate} (nothing is copied per
 * publisher). {@link #loopMillis} is how far timestamps move on each time the file starts over.
 */
final class FlvSource implements AutoCloseable {

    private final ByteBuf file;
    private final List<FlvTag> tags;
    private final boolean[] setup;
    private final long firstTimestamp;
    private final long loopMillis;

    private FlvSource(ByteBuf file, List<FlvTag> tags) {
        this.file = file;
        this.tags = tags;
        this.setup = new boolean[tags.size()];
        for (int i = 0; i < tags.size(); i++) {
            FlvTag t = tags.get(i);
            ByteBuf d = t.data();
            setup[i] = t.type() == FlvTag.SCRIPT_DATA
                    || (t.type() == FlvTag.VIDEO && d.isReadable() && VideoTags.isSequenceHeader(d))
                    || (t.type() == FlvTag.AUDIO && d.isReadable() && AudioTags.isSequenceHeader(d));
        }
        long first = Long.MAX_VALUE;
        long last = 0;
        int media = 0;
        for (FlvTag t : tags) {
            if (t.type() != FlvTag.SCRIPT_DATA) {
                first = Math.min(first, t.timestamp());
                last = Math.max(last, t.timestamp());
                media++;
            }
        }
        this.firstTimestamp = first == Long.MAX_VALUE ? 0 : first;
        long span = last - firstTimestamp;
        // One more average frame interval after the last tag, so that the next loop does not repeat its timestamp.
        this.loopMillis = Math.max(1, span + (media > 1 ? Math.max(1, span / (media - 1)) : 40));
    }

    static FlvSource load(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        ByteBuf file = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        List<FlvTag> tags = new ArrayList<>();
        try {
            FlvReader reader = FlvReader.of(file);
            for (FlvTag t = reader.next(); t != null; t = reader.next()) {
                tags.add(t);
            }
        } catch (RuntimeException | IOException e) {
            tags.forEach(FlvTag::release);
            file.release();
            throw e;
        }
        if (tags.isEmpty()) {
            file.release();
            throw new IOException(path + " holds no FLV tags");
        }
        return new FlvSource(file, tags);
    }

    int size() {
        return tags.size();
    }

    FlvTag tag(int i) {
        return tags.get(i);
    }

    /** Script data and codec sequence headers: sent on the first pass only. */
    boolean isSetup(int i) {
        return setup[i];
    }

    /** The tag's time from the start of the file, in milliseconds. */
    long offsetMillis(int i) {
        FlvTag t = tags.get(i);
        return Math.max(0, t.timestamp() - firstTimestamp);
    }

    long loopMillis() {
        return loopMillis;
    }

    @Override
    public void close() {
        tags.forEach(FlvTag::release);
        file.release();
    }
}
