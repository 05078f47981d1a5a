package io.github.rtmpedge.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * A message whose payload stays in its buffer, uninterpreted and never copied: media, data, shared
 * objects, aggregates and unknown types. Reference counting delegates to {@link #content()}.
 */
public sealed interface PayloadMessage extends RtmpMessage, ByteBufHolder
        permits AudioMessage, VideoMessage, DataMessage, SharedObjectMessage, AggregateMessage, UnknownMessage {

    @Override
    ByteBuf content();

    /** The same message around another buffer (which it takes ownership of). */
    @Override
    PayloadMessage replace(ByteBuf content);

    @Override
    default PayloadMessage copy() {
        return replace(content().copy());
    }

    @Override
    default PayloadMessage duplicate() {
        return replace(content().duplicate());
    }

    @Override
    default PayloadMessage retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    default int refCnt() {
        return content().refCnt();
    }

    @Override
    default PayloadMessage retain() {
        content().retain();
        return this;
    }

    @Override
    default PayloadMessage retain(int increment) {
        content().retain(increment);
        return this;
    }

    @Override
    default PayloadMessage touch() {
        content().touch();
        return this;
    }

    @Override
    default PayloadMessage touch(Object hint) {
        content().touch(hint);
        return this;
    }

    @Override
    default boolean release() {
        return content().release();
    }

    @Override
    default boolean release(int decrement) {
        return content().release(decrement);
    }
}
