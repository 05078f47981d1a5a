package io.github.rtmpedge.edge.upstream;

import io.github.rtmpedge.edge.stream.delivery.FrameBatch;
import io.github.rtmpedge.edge.stream.delivery.FrameWriter;
import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.netty.channel.Channel;

/**
 * Writes a stream's shared frames to the origin a publish edge forwards to, with the message
 * stream id the origin gave the publish; through the whole pipeline, whose first handler counts
 * the bytes.
 */
final class UpstreamFrameWriter implements FrameWriter {

    private final Channel channel;
    private final int messageStreamId;

    UpstreamFrameWriter(Channel channel, int messageStreamId) {
        this.channel = channel;
        this.messageStreamId = messageStreamId;
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void write(MediaFrame frame) {
        channel.write(frame.chunksFor(messageStreamId, channel.alloc()), channel.voidPromise());
    }

    @Override
    public boolean writeBatch(FrameBatch batch) {
        if (messageStreamId != MediaFrame.SHARED_MESSAGE_STREAM) {
            return false; // the chunks carry stream 1 in their headers
        }
        channel.write(batch.chunks(channel.alloc()).retainedDuplicate(), channel.voidPromise());
        return true;
    }

    @Override
    public void flush(int frames, long wireBytes) {
        channel.flush();
    }
}
