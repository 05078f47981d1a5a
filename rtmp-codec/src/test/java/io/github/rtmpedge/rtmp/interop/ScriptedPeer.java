package io.github.rtmpedge.rtmp.interop;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.AcknowledgementDue;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.flv.AudioTags;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.github.rtmpedge.rtmp.handshake.HandshakeCompleted;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.DataMessage;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingRequest;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingResponse;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.List;

/**
 * The common part of the scripted RTMP peers of these tests: the codec pipeline, recording of
 * everything received into a {@link PeerLog}, Acknowledgements when the chunk decoder says one is
 * due, answers to pings. Subclasses script the commands. Every callback runs on the channel's event
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

    /** Called once the handshake is done. */
    void onHandshake(ChannelHandlerContext ctx, HandshakeCompleted done) {
    }

    /** Called for every command after it has been recorded. */
    abstract void onCommand(ChannelHandlerContext ctx, CommandMessage message);

    /** Called when the connection ends (stop anything scheduled). */
    void onClosed() {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
        if (msg instanceof CommandMessage command) {
            log.commands.add(command.command());
            onCommand(ctx, command);
        } else if (msg instanceof VideoMessage video) {
            log.media.add(new PeerLog.Media(video.typeId(), video.timestamp(), video.content().readableBytes(),
                    VideoTags.isSequenceHeader(video.content()), VideoTags.isKeyframe(video.content()), List.of()));
        } else if (msg instanceof AudioMessage audio) {
            log.media.add(new PeerLog.Media(audio.typeId(), audio.timestamp(), audio.content().readableBytes(),
                    AudioTags.isSequenceHeader(audio.content()), false, List.of()));
        } else if (msg instanceof DataMessage data) {
            log.media.add(new PeerLog.Media(data.typeId(), data.timestamp(), data.content().readableBytes(), false, false,
                    Messages.dataValues(data, AmfLimits.DEFAULT)));
        } else if (msg instanceof PingRequest ping) {
            ctx.writeAndFlush(new PingResponse(ping.time()));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof AcknowledgementDue due) {
            // RTMP spec 5.4.3: acknowledge once a window's worth of bytes has arrived.
            ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()));
            log.lastAcknowledged.set(due.sequenceNumber());
            log.acknowledgementsSent.incrementAndGet();
        } else if (evt instanceof HandshakeCompleted done) {
            onHandshake(ctx, done);
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

    /** Records each message the chunk layer produced (with its chunk stream id, lost in the typed message). */
    private static final class ChunkTap extends ChannelInboundHandlerAdapter {
        private final ChunkDecoder decoder;
        private final PeerLog log;

        ChunkTap(ChunkDecoder decoder, PeerLog log) {
            this.decoder = decoder;
            this.log = log;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof RawMessage raw) {
                log.chunked.add(new PeerLog.Chunked(raw.chunkStreamId(), raw.timestamp(), raw.typeId(),
                        raw.messageStreamId(), raw.length()));
                log.bytesReceived.set(decoder.reader().bytesReceived());
                log.acknowledgementWindow.set(decoder.reader().acknowledgementWindow());
                log.peerChunkSize.set(decoder.reader().chunkSize());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
