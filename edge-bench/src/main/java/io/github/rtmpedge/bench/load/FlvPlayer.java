package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.flv.FlvHeader;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * An HTTP-FLV player: GETs the stream's {@code .flv} URL and reads the FLV body tag by tag,
 * measured exactly like an RTMP {@link Player} (timeline, first keyframe, gaps). Started once the
 * answer is a 200; anything else closes the connection (a failed attempt).
 */
final class FlvPlayer extends Player {

    FlvPlayer(LoadOptions options, LoadStats stats, Bootstrap bootstrap) {
        super(options, stats, bootstrap);
    }

    @Override
    String host() {
        return options.flvUrl().getHost();
    }

    @Override
    int port() {
        return options.flvPort();
    }

    @Override
    void install(ChannelPipeline p) {
        p.addLast(new HttpClientCodec());
        p.addLast(new Body());
    }

    /** The request, then the body's FLV tags out of the HTTP chunks. */
    private final class Body extends ChannelInboundHandlerAdapter {
        private ByteBuf pending;
        private boolean headerRead;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, options.flvTarget());
            get.headers().set(HttpHeaderNames.HOST, options.flvUrl().getHost() + ":" + options.flvPort());
            ctx.writeAndFlush(get);
            pending = ctx.alloc().buffer();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    if (response.status().code() != 200) {
                        ctx.close();
                        return;
                    }
                    started = true;
                }
                if (msg instanceof HttpContent content) {
                    pending.writeBytes(content.content());
                    tags();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** Every whole tag in what arrived (FLV spec E.3: header, then tags each with PreviousTagSize). */
        private void tags() {
            if (!headerRead) {
                if (pending.readableBytes() < FlvHeader.SIZE + FlvTag.PREVIOUS_TAG_SIZE_LENGTH) {
                    return;
                }
                pending.skipBytes(FlvHeader.SIZE + FlvTag.PREVIOUS_TAG_SIZE_LENGTH);
                headerRead = true;
            }
            while (pending.readableBytes() >= FlvTag.HEADER_SIZE) {
                int r = pending.readerIndex();
                int size = pending.getUnsignedMedium(r + 1);
                int whole = FlvTag.HEADER_SIZE + size + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
                if (pending.readableBytes() < whole) {
                    break;
                }
                int type = pending.getUnsignedByte(r) & 0x1F;
                long ts = pending.getUnsignedMedium(r + 4) | ((long) pending.getUnsignedByte(r + 7) << 24);
                ByteBuf data = pending.slice(r + FlvTag.HEADER_SIZE, size);
                if (type == FlvTag.VIDEO && !VideoTags.isSequenceHeader(data)) {
                    video(ts, VideoTags.isKeyframe(data), size);
                } else if (type == FlvTag.AUDIO) {
                    audio(size);
                }
                pending.skipBytes(whole);
            }
            pending.discardSomeReadBytes();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            ctx.fireChannelInactive();
        }
    }
}
