package io.github.rtmpedge.bench.load;

import io.github.rtmpedge.rtmp.flv.FlvHeader;
import io.github.rtmpedge.rtmp.flv.FlvTag;
import io.github.rtmpedge.rtmp.flv.VideoTags;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

    /**
     * The request, then the body's FLV tags out of the HTTP chunks, without copying them: only
     * each tag's header and a video tag's first data bytes are gathered (they may straddle two chunks);
     * the rest is skipped (FLV spec E.3: header, then tags each followed by PreviousTagSize).
     */
    private final class Body extends ChannelInboundHandlerAdapter {
        private static final int FILE_HEADER = FlvHeader.SIZE + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
        /** A video tag's first bytes that tell its frame and packet type (E.4.3.1: 5 for AVC, and Enhanced RTMP's FourCC). */
        private static final int VIDEO_PREFIX = 5;

        private final byte[] head = new byte[FlvTag.HEADER_SIZE + VIDEO_PREFIX];
        private int headFill;
        private long skip = FILE_HEADER;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, options.flvTarget());
            get.headers().set(HttpHeaderNames.HOST, options.flvUrl().getHost() + ":" + options.flvPort());
            ctx.writeAndFlush(get);
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
                    feed(content.content());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void feed(ByteBuf b) {
            while (b.isReadable()) {
                if (skip > 0) {
                    int n = (int) Math.min(skip, b.readableBytes());
                    b.skipBytes(n);
                    skip -= n;
                    continue;
                }
                int want = headFill < FlvTag.HEADER_SIZE ? FlvTag.HEADER_SIZE : wanted();
                int n = Math.min(want - headFill, b.readableBytes());
                b.readBytes(head, headFill, n);
                headFill += n;
                if (headFill >= FlvTag.HEADER_SIZE && headFill >= wanted()) {
                    tag();
                }
            }
        }

        /** Header bytes wanted for the tag begun: 11, and 2 more of a video tag's data. */
        private int wanted() {
            return (head[0] & 0x1F) == FlvTag.VIDEO && size() >= VIDEO_PREFIX ? head.length : FlvTag.HEADER_SIZE;
        }

        private int size() {
            return (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
        }

        private void tag() {
            int type = head[0] & 0x1F;
            int size = size();
            long ts = (head[4] & 0xFF) << 16 | (head[5] & 0xFF) << 8 | (head[6] & 0xFF) | (long) (head[7] & 0xFF) << 24;
            if (type == FlvTag.VIDEO && headFill == head.length) {
                ByteBuf first = Unpooled.wrappedBuffer(head, FlvTag.HEADER_SIZE, VIDEO_PREFIX);
                if (!VideoTags.isSequenceHeader(first)) {
                    video(ts, VideoTags.isKeyframe(first), size);
                }
            } else if (type == FlvTag.AUDIO) {
                audio(size);
            }
            skip = (long) size - (headFill - FlvTag.HEADER_SIZE) + FlvTag.PREVIOUS_TAG_SIZE_LENGTH;
            headFill = 0;
        }
    }
}
