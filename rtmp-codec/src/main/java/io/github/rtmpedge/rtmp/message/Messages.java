package io.github.rtmpedge.rtmp.message;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.Amf0Reader;
import io.github.rtmpedge.rtmp.amf.Amf0Writer;
import io.github.rtmpedge.rtmp.amf.AmfLimits;
import io.github.rtmpedge.rtmp.chunk.ChunkStreamIds;
import io.github.rtmpedge.rtmp.chunk.RawMessage;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Abort;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.Acknowledgement;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.LimitType;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetChunkSize;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.SetPeerBandwidth;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage.WindowAcknowledgementSize;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingRequest;
import io.github.rtmpedge.rtmp.message.UserControlMessage.PingResponse;
import io.github.rtmpedge.rtmp.message.UserControlMessage.SetBufferLength;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamBegin;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamDry;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamEof;
import io.github.rtmpedge.rtmp.message.UserControlMessage.StreamIsRecorded;
import io.github.rtmpedge.rtmp.message.UserControlMessage.UnknownEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * Converts between {@link RawMessage} (chunk layer) and {@link RtmpMessage} (typed). Neither
 * direction releases its argument; a result that holds a buffer holds its own reference.
 */
public final class Messages {

    /** Chunk stream for commands on message stream 0 (connect, createStream, ...). */
    public static final int CONNECTION_COMMAND_CHUNK_STREAM = 3;
    /** Chunk stream for commands and data on a media stream (onStatus, onMetaData, ...). */
    public static final int STREAM_CHUNK_STREAM = 5;

    public static final int AUDIO_CHUNK_STREAM = 6;
    public static final int VIDEO_CHUNK_STREAM = 7;

    private Messages() {}

    /**
     * Interprets a raw message.
     *
     * @throws RtmpCodecException if the payload does not match its type (too short, bad AMF, ...)
     */
    public static RtmpMessage decode(RawMessage raw, AmfLimits limits) {
        ByteBuf p = raw.content();
        long ts = raw.timestamp();
        int msid = raw.messageStreamId();
        return switch (raw.typeId()) {
            case MessageType.SET_CHUNK_SIZE -> {
                long size = unsignedInt(p, 0, "Set Chunk Size");
                if (size == 0 || size > 0x7FFFFFFF) {
                    throw new RtmpCodecException("Set Chunk Size " + size + " out of range 1..2147483647");
                }
                yield new SetChunkSize((int) size);
            }
            case MessageType.ABORT -> new Abort(unsignedInt(p, 0, "Abort"));
            case MessageType.ACKNOWLEDGEMENT -> new Acknowledgement(unsignedInt(p, 0, "Acknowledgement"));
            case MessageType.WINDOW_ACK_SIZE ->
                new WindowAcknowledgementSize(unsignedInt(p, 0, "Window Acknowledgement Size"));
            case MessageType.SET_PEER_BANDWIDTH -> {
                long window = unsignedInt(p, 0, "Set Peer Bandwidth");
                need(p, 5, "Set Peer Bandwidth");
                int code = p.getUnsignedByte(p.readerIndex() + 4);
                LimitType type = LimitType.ofCode(code);
                if (type == null) {
                    throw new RtmpCodecException("Set Peer Bandwidth limit type " + code + " is not 0, 1 or 2");
                }
                yield new SetPeerBandwidth(window, type);
            }
            case MessageType.USER_CONTROL -> decodeUserControl(p);
            case MessageType.COMMAND_AMF0 ->
                new CommandMessage(ts, msid, false, Command.parse(readAmf(p, false, limits)));
            case MessageType.COMMAND_AMF3 ->
                new CommandMessage(ts, msid, true, Command.parse(readAmf(p, true, limits)));
            case MessageType.AUDIO -> new AudioMessage(ts, msid, p.retain());
            case MessageType.VIDEO -> new VideoMessage(ts, msid, p.retain());
            case MessageType.DATA_AMF0 -> new DataMessage(false, ts, msid, p.retain());
            case MessageType.DATA_AMF3 -> new DataMessage(true, ts, msid, p.retain());
            case MessageType.SHARED_OBJECT_AMF0 -> new SharedObjectMessage(false, ts, msid, p.retain());
            case MessageType.SHARED_OBJECT_AMF3 -> new SharedObjectMessage(true, ts, msid, p.retain());
            case MessageType.AGGREGATE -> new AggregateMessage(ts, msid, p.retain());
            default -> new UnknownMessage(raw.typeId(), ts, msid, p.retain());
        };
    }

    /** The AMF values of a data message, e.g. {@code ["@setDataFrame", "onMetaData", {...}]}. */
    public static List<Object> dataValues(DataMessage message, AmfLimits limits) {
        return readAmf(message.content(), message.amf3(), limits);
    }

    /** The chunk stream a message goes out on unless the caller picks another. */
    public static int defaultChunkStream(RtmpMessage message) {
        if (message instanceof ProtocolControlMessage || message instanceof UserControlMessage) {
            return ChunkStreamIds.PROTOCOL_CONTROL;
        }
        if (message instanceof CommandMessage) {
            return message.messageStreamId() == 0 ? CONNECTION_COMMAND_CHUNK_STREAM : STREAM_CHUNK_STREAM;
        }
        if (message instanceof AudioMessage) {
            return AUDIO_CHUNK_STREAM;
        }
        if (message instanceof VideoMessage || message instanceof AggregateMessage) {
            return VIDEO_CHUNK_STREAM;
        }
        if (message instanceof DataMessage) {
            return STREAM_CHUNK_STREAM;
        }
        return CONNECTION_COMMAND_CHUNK_STREAM; // shared objects and unknown types
    }

    /** Encodes on the {@linkplain #defaultChunkStream default chunk stream}. */
    public static RawMessage encode(RtmpMessage message, ByteBufAllocator alloc) {
        return encode(message, defaultChunkStream(message), alloc);
    }

    /** Encodes a typed message; the result owns its buffer (a new one, or a retained payload). */
    public static RawMessage encode(RtmpMessage message, int chunkStreamId, ByteBufAllocator alloc) {
        if (message instanceof PayloadMessage payload) {
            return new RawMessage(
                    chunkStreamId,
                    message.timestamp(),
                    message.typeId(),
                    message.messageStreamId(),
                    payload.content().retain());
        }
        ByteBuf out = alloc.buffer();
        try {
            if (message instanceof SetChunkSize m) {
                out.writeInt(m.chunkSize());
            } else if (message instanceof Abort m) {
                out.writeInt((int) m.chunkStreamId());
            } else if (message instanceof Acknowledgement m) {
                out.writeInt((int) m.sequenceNumber());
            } else if (message instanceof WindowAcknowledgementSize m) {
                out.writeInt((int) m.windowSize());
            } else if (message instanceof SetPeerBandwidth m) {
                out.writeInt((int) m.windowSize()).writeByte(m.limitType().code());
            } else if (message instanceof UserControlMessage m) {
                encodeUserControl(m, out);
            } else if (message instanceof CommandMessage m) {
                if (m.amf3()) {
                    out.writeByte(0); // format selector: AMF0 values follow
                }
                Amf0Writer.writeAll(out, m.command().toValues());
            } else {
                throw new IllegalStateException("unreachable: " + message);
            }
            return new RawMessage(chunkStreamId, message.timestamp(), message.typeId(), message.messageStreamId(), out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** A data message (type 18) holding {@code values} in AMF0, e.g. {@code "onMetaData", {...}}. */
    public static DataMessage dataMessage(ByteBufAllocator alloc, long timestamp, int messageStreamId, List<?> values) {
        ByteBuf out = alloc.buffer();
        try {
            Amf0Writer.writeAll(out, values);
            return new DataMessage(false, timestamp, messageStreamId, out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static List<Object> readAmf(ByteBuf p, boolean amf3, AmfLimits limits) {
        ByteBuf in = p.duplicate();
        if (amf3 && in.isReadable() && in.getByte(in.readerIndex()) == 0) {
            in.skipBytes(1); // 7.1.1: AMF3 commands and data start with a format byte 0, then AMF0 with AVM+ switches
        }
        return Amf0Reader.readAll(in, limits);
    }

    private static UserControlMessage decodeUserControl(ByteBuf p) {
        need(p, 2, "User Control");
        int base = p.readerIndex();
        int event = p.getUnsignedShort(base);
        return switch (event) {
            case UserControlMessage.STREAM_BEGIN -> new StreamBegin((int) unsignedInt(p, 2, "StreamBegin"));
            case UserControlMessage.STREAM_EOF -> new StreamEof((int) unsignedInt(p, 2, "StreamEOF"));
            case UserControlMessage.STREAM_DRY -> new StreamDry((int) unsignedInt(p, 2, "StreamDry"));
            case UserControlMessage.SET_BUFFER_LENGTH ->
                new SetBufferLength((int) unsignedInt(p, 2, "SetBufferLength"), unsignedInt(p, 6, "SetBufferLength"));
            case UserControlMessage.STREAM_IS_RECORDED ->
                new StreamIsRecorded((int) unsignedInt(p, 2, "StreamIsRecorded"));
            case UserControlMessage.PING_REQUEST -> new PingRequest(unsignedInt(p, 2, "PingRequest"));
            case UserControlMessage.PING_RESPONSE -> new PingResponse(unsignedInt(p, 2, "PingResponse"));
            default -> new UnknownEvent(event, ByteBufUtil.getBytes(p, base + 2, p.readableBytes() - 2));
        };
    }

    private static void encodeUserControl(UserControlMessage m, ByteBuf out) {
        out.writeShort(m.eventType());
        if (m instanceof StreamBegin e) {
            out.writeInt(e.streamId());
        } else if (m instanceof StreamEof e) {
            out.writeInt(e.streamId());
        } else if (m instanceof StreamDry e) {
            out.writeInt(e.streamId());
        } else if (m instanceof SetBufferLength e) {
            out.writeInt(e.streamId()).writeInt((int) e.bufferLengthMillis());
        } else if (m instanceof StreamIsRecorded e) {
            out.writeInt(e.streamId());
        } else if (m instanceof PingRequest e) {
            out.writeInt((int) e.time());
        } else if (m instanceof PingResponse e) {
            out.writeInt((int) e.time());
        } else if (m instanceof UnknownEvent e) {
            out.writeBytes(e.data());
        }
    }

    private static long unsignedInt(ByteBuf p, int offset, String what) {
        need(p, offset + 4, what);
        return p.getUnsignedInt(p.readerIndex() + offset);
    }

    private static void need(ByteBuf p, int length, String what) {
        if (p.readableBytes() < length) {
            throw new RtmpCodecException(what + " message has " + p.readableBytes() + " bytes, needs " + length);
        }
    }
}
