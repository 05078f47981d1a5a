package io.github.rtmpedge.rtmp.client;

import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkDecoder;
import io.github.rtmpedge.rtmp.chunk.ChunkEncoder;
import io.github.rtmpedge.rtmp.chunk.ChunkLimits;
import io.github.rtmpedge.rtmp.handshake.ClientHandshakeHandler;
import io.github.rtmpedge.rtmp.handshake.HandshakeMode;
import io.github.rtmpedge.rtmp.message.MessageDecoder;
import io.github.rtmpedge.rtmp.message.MessageEncoder;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * Installs a client connection's handlers at the end of a pipeline: the handshake, the chunk and
 * message codecs, and the {@link RtmpClientHandler}, under the names below (so that a caller can
 * add a tap between them). Call it from a {@code ChannelInitializer}, before the channel connects.
 */
public final class RtmpClientPipeline {

    public static final String HANDSHAKE = "handshake";
    public static final String CHUNK_DECODER = "chunk-decoder";
    public static final String MESSAGE_DECODER = "message-decoder";
    public static final String CHUNK_ENCODER = "chunk-encoder";
    public static final String MESSAGE_ENCODER = "message-encoder";
    public static final String CLIENT = "rtmp-client";

    /** The codec's own handshake timeout, used when the config sets none for {@link Phase#HANDSHAKE}. */
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private RtmpClientPipeline() {}

    /** As {@link #install(ChannelPipeline, RtmpClientHandler, HandshakeMode, ChunkLimits, AmfLimits)} with default limits. */
    public static RtmpClientHandler install(ChannelPipeline pipeline, RtmpClientHandler client, HandshakeMode mode) {
        return install(pipeline, client, mode, ChunkLimits.DEFAULT, AmfLimits.DEFAULT);
    }

    /**
     * Adds the handlers; the handshake must finish within the config's {@link Phase#HANDSHAKE}
     * timeout (10 s when unset).
     *
     * @return {@code client}
     */
    public static RtmpClientHandler install(
            ChannelPipeline pipeline,
            RtmpClientHandler client,
            HandshakeMode mode,
            ChunkLimits chunkLimits,
            AmfLimits amfLimits) {
        Duration handshake = client.config().timeout(Phase.HANDSHAKE);
        pipeline.addLast(
                HANDSHAKE, new ClientHandshakeHandler(mode, handshake == null ? DEFAULT_HANDSHAKE_TIMEOUT : handshake));
        pipeline.addLast(CHUNK_DECODER, new ChunkDecoder(chunkLimits));
        pipeline.addLast(MESSAGE_DECODER, new MessageDecoder(amfLimits));
        pipeline.addLast(CHUNK_ENCODER, new ChunkEncoder());
        pipeline.addLast(MESSAGE_ENCODER, new MessageEncoder());
        pipeline.addLast(CLIENT, client);
        return client;
    }
}
