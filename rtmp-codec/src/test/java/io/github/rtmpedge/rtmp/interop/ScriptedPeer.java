package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingRequest;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingResponse;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * The scripted RTMP server of these tests, less its script: the codec pipeline, recording of
 * everything received into a {@link PeerLog}, Acknowledgements when the chunk decoder says one is
 * due, answers to pings. The subclass scripts the commands. Every callback runs on the channel's event
 * loop; the inbound message is released after {@link #onCommand}/recording
 * ({@link SimpleChannelInboundHandler}).
 */
abstract class ScriptedPeer extends SimpleChannelInboundHandler<RtmpMessage> {

    final PeerLog log = new PeerLog();

    ScriptedPeer() {
        super(RtmpMessage.class);
    }

    /**
     * The codec pipeline: {@code handshake → ChunkDecoder → (tap) → MessageDecoder → peer} inbound,
     * {@code peer → MessageEncoder → ChunkEncoder} outbound.
     */
    static void install(ChannelPipeline pipeline, ChannelHandler handshake, ScriptedPeer peer) {
        ChunkDecoder chunkDecoder = new ChunkDecoder();
        pipeline.addLast("handshake", handshake);
        pipeline.addLast("chunk-encoder", new ChunkEncoder());
        pipeline.addLast("chunk-decoder", chunkDecoder);
        pipeline.addLast("chunk-tap", new ChunkTap(chunkDecoder, peer.log));
        pipeline.addLast("message-encoder", new MessageEncoder());
        pipeline.addLast("message-decoder", new MessageDecoder());
        pipeline.addLast("peer", peer);
    }

    /** Called for every command after it has been recorded. */
    abstract void onCommand(ChannelHandlerContext ctx, CommandMessage message);

    /** Called when the connection ends (stop anything scheduled). */
    void onClosed() {}

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
        log.record(msg);
        if (msg instanceof CommandMessage command) {
            onCommand(ctx, command);
        } else if (msg instanceof PingRequest ping) {
            ctx.writeAndFlush(new PingResponse(ping.time()));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof AcknowledgementDue due) {
            // RTMP spec 5.4.3: acknowledge once a window's worth of bytes has arrived.
            ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()));
            log.acknowledged(due.sequenceNumber());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.errors.add(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        onClosed();
        super.channelInactive(ctx);
    }
}
