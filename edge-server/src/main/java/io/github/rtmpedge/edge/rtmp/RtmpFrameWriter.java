package io.github.rtmpedge.edge.rtmp;

import io.github.rtmpedge.edge.stream.delivery.FrameBatch;
import io.github.rtmpedge.edge.stream.delivery.FrameWriter;
import io.github.rtmpedge.edge.stream.delivery.MediaFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

/**
 * Writes a stream's shared, already chunked frames to one RTMP player with its message stream id,
 * past every codec: at the {@link ConnectionHandler}'s context, which counts the batch's bytes
 * once.
 */
final class RtmpFrameWriter implements FrameWriter {

    private final Channel channel;
    private final ChannelHandlerContext out;
    private final int messageStreamId;

    RtmpFrameWriter(Channel channel, int messageStreamId) {
        this.channel = channel;
        this.out = channel.pipeline().context(ConnectionHandler.class);
        this.messageStreamId = messageStreamId;
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void write(MediaFrame frame) {
        out.write(frame.chunksFor(messageStreamId, channel.alloc()), channel.voidPromise());
    }

    @Override
    public boolean writeBatch(FrameBatch batch) {
        if (messageStreamId != MediaFrame.SHARED_MESSAGE_STREAM) {
            return false; // the chunks carry stream 1 in their headers
        }
        out.write(batch.chunks(channel.alloc()).retainedDuplicate(), channel.voidPromise());
        return true;
    }

    @Override
    public void flush(int frames, long wireBytes) {
        if (wireBytes > 0) {
            ((ConnectionHandler) out.handler()).written(out, wireBytes);
        }
        channel.flush();
    }
}
