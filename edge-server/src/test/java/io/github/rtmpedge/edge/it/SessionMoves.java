package io.github.rtmpedge.edge.it;

import io.github.rtmpedge.rtmp.amf.Amf;
import io.github.rtmpedge.rtmp.amf.AmfDate;
import io.github.rtmpedge.rtmp.amf.AmfEcmaArray;
import io.github.rtmpedge.rtmp.command.Command;
import io.github.rtmpedge.rtmp.command.Commands;
import io.github.rtmpedge.rtmp.command.ConnectRequest;
import io.github.rtmpedge.rtmp.command.DataMessages;
import io.github.rtmpedge.rtmp.command.PlayRequest;
import io.github.rtmpedge.rtmp.command.PublishRequest;
import io.github.rtmpedge.rtmp.message.AudioMessage;
import io.github.rtmpedge.rtmp.message.CommandMessage;
import io.github.rtmpedge.rtmp.message.Messages;
import io.github.rtmpedge.rtmp.message.ProtocolControlMessage;
import io.github.rtmpedge.rtmp.message.RtmpMessage;
import io.github.rtmpedge.rtmp.message.UserControlMessage;
import io.github.rtmpedge.rtmp.message.VideoMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random but well-formed client messages for a server session: the NetConnection and NetStream
 * commands in any order with odd arguments (names, stream ids, transaction ids, AMF values), media
 * with and without sequence headers and keyframes, chunk size, acknowledgements and user control.
 * Every message is valid on the wire; what it asks for may make no sense. The choices come from a
 * {@link Choices}: a seeded {@link Random} or a fuzzer's data.
 */
final class SessionMoves {

    /** Where the randomness comes from. */
    interface Choices {
        /** 0 (inclusive) to {@code bound} (exclusive). */
        int next(int bound);

        static Choices of(Random random) {
            return random::nextInt;
        }
    }

    /** Few names, so that publishers and players meet on the same streams. */
    static final List<String> STREAMS = List.of(
            "s0",
            "s1",
            "s2",
            "s1?token=abc&x=1",
            "",
            "s0?",
            "ストリーム",
            "a/b",
            "x".repeat(300),
            "s2?token=" + "t".repeat(100));

    static final List<String> APPS = List.of("live", "live", "live", "", "live?vhost=v1", "other", "live/sub", "?");

    private static final List<String> COMMAND_NAMES = List.of(
            ConnectRequest.NAME,
            Commands.CREATE_STREAM,
            PublishRequest.NAME,
            PlayRequest.NAME,
            Commands.DELETE_STREAM,
            Commands.CLOSE_STREAM,
            Commands.FC_PUBLISH,
            Commands.FC_UNPUBLISH,
            Commands.RELEASE_STREAM,
            Commands.CHECK_BW,
            Commands.GET_STREAM_LENGTH,
            "receiveAudio",
            "receiveVideo",
            "pause",
            "seek",
            "call",
            "",
            "onStatus",
            Commands.RESULT);

    private final Choices choices;
    private final ByteBufAllocator alloc;
    private long timestamp;

    SessionMoves(Choices choices, ByteBufAllocator alloc) {
        this.choices = choices;
        this.alloc = alloc;
    }

    /** The connect a client sends first, to a random app with a random transaction id. */
    RtmpMessage connect() {
        String app = pick(APPS);
        return new CommandMessage(
                0,
                ConnectRequest.of(app, "rtmp://127.0.0.1/" + app, "FMLE/3.0", null, null, choices.next(4) == 0 ? 3 : 0)
                        .toCommand(transactionId()));
    }

    /** Any message a client might send, most of them commands and media. */
    RtmpMessage next() {
        timestamp += choices.next(80);
        int msid = streamId();
        return switch (choices.next(24)) {
            case 0 -> connect();
            case 1, 2 -> new CommandMessage(0, Commands.createStream(transactionId()));
            case 3, 4 ->
                new CommandMessage(
                        msid,
                        new PublishRequest(pick(STREAMS), pick(List.of(PublishRequest.Type.values())))
                                .toCommand(transactionId()));
            case 5, 6 ->
                new CommandMessage(
                        msid,
                        new PlayRequest(
                                        pick(STREAMS),
                                        pick(List.of(-2.0, -1.0, 0.0, -1000.0, 5.5)),
                                        pick(List.of(-1.0, 0.0, 10.0)),
                                        choices.next(2) == 0)
                                .toCommand(transactionId()));
            case 7 -> new CommandMessage(0, Commands.deleteStream(transactionId(), msid));
            case 8 -> new CommandMessage(msid, Commands.closeStream());
            case 9 ->
                new CommandMessage(
                        0,
                        pick(List.of(
                                Commands.fcPublish(transactionId(), pick(STREAMS)),
                                Commands.releaseStream(transactionId(), pick(STREAMS)),
                                Commands.fcUnpublish(transactionId(), pick(STREAMS)))));
            case 10 -> new CommandMessage(msid, oddCommand());
            case 11, 12, 13 -> new VideoMessage(timestamp, msid, video());
            case 14, 15 -> new AudioMessage(timestamp, msid, audio());
            case 16 -> Messages.dataMessage(alloc, timestamp, msid, data());
            case 17 ->
                new ProtocolControlMessage.SetChunkSize(pick(List.of(128, 4096, 60000, 65536, 0xFFFFFF, 128, 4096, 1)));
            case 18 -> new ProtocolControlMessage.Acknowledgement(choices.next(Integer.MAX_VALUE));
            case 19 -> new ProtocolControlMessage.WindowAcknowledgementSize(1 + choices.next(5_000_000));
            case 20 -> new ProtocolControlMessage.Abort(pick(List.of(2L, 3L, 4L, 5L, 6L, 7L, 64L, 65599L)));
            case 21 -> new UserControlMessage.SetBufferLength(msid, choices.next(100_000));
            case 22 -> new UserControlMessage.PingRequest(choices.next(Integer.MAX_VALUE));
            default ->
                new ProtocolControlMessage.SetPeerBandwidth(
                        1 + choices.next(5_000_000), ProtocolControlMessage.LimitType.ofCode(choices.next(3)));
        };
    }

    /** The stream ids a server hands out are 1, 2, 3…; 0 is the connection's. */
    private int streamId() {
        return pick(List.of(0, 1, 1, 1, 2, 3, 7));
    }

    private double transactionId() {
        return pick(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 1e9, -1.0, 0.5, Double.NaN));
    }

    /** A command by a known or unknown name with arguments of any AMF type. */
    private Command oddCommand() {
        Object commandObject = choices.next(2) == 0 ? null : oddValue(2);
        int n = choices.next(4);
        Object[] arguments = new Object[n];
        for (int i = 0; i < n; i++) {
            arguments[i] = oddValue(2);
        }
        return Command.of(pick(COMMAND_NAMES), transactionId(), commandObject, arguments);
    }

    private Object oddValue(int depth) {
        int kind = choices.next(depth > 0 ? 16 : 12);
        return switch (kind) {
            case 0 -> null;
            case 1 -> Amf.UNDEFINED;
            case 2 ->
                pick(List.of(0.0, -0.0, 1.0, -1.0, 1e308, Double.NaN, Double.POSITIVE_INFINITY, 4294967296.0, 0.5));
            case 3 -> choices.next(2) == 0;
            case 4, 5 -> pick(STREAMS);
            case 6 -> pick(APPS);
            case 7 -> "y".repeat(2_000); // longer than any chunk at the default size
            case 8 -> new AmfDate(1.7e12, (short) 0);
            case 9 -> Amf.UNSUPPORTED;
            case 10 -> "";
            case 11 -> pick(COMMAND_NAMES);
            case 12 -> Arrays.asList(oddValue(depth - 1), oddValue(depth - 1));
            case 13 -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                entries.put("duration", oddValue(depth - 1));
                yield AmfEcmaArray.copyOf(entries);
            }
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put(
                        pick(List.of("app", "tcUrl", "flashVer", "objectEncoding", "level", "code", "")),
                        oddValue(depth - 1));
                if (choices.next(2) == 0) {
                    object.put("objectEncoding", oddValue(0));
                }
                yield object;
            }
        };
    }

    /** A video tag: AVC or HEVC sequence header, keyframe, inter frame, Enhanced RTMP, or a short one. */
    private ByteBuf video() {
        byte[] bytes = switch (choices.next(7)) {
            case 0 -> new byte[] {0x17, 0, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F};
            case 1 -> filled(new byte[] {0x17, 1, 0, 0, 0}, choices.next(3000));
            case 2, 3 -> filled(new byte[] {0x27, 1, 0, 0, 0}, choices.next(1500));
            case 4 ->
                filled(
                        new byte[] {(byte) 0x90, 'h', 'v', 'c', '1'},
                        choices.next(200)); // Enhanced: key, sequence start
            case 5 -> new byte[] {0x17};
            default -> new byte[0];
        };
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** An audio tag: AAC sequence header or raw frame, MP3, or a short one. */
    private ByteBuf audio() {
        byte[] bytes = switch (choices.next(5)) {
            case 0 -> new byte[] {(byte) 0xAF, 0, 0x12, 0x10};
            case 1, 2 -> filled(new byte[] {(byte) 0xAF, 1}, choices.next(400));
            case 3 -> filled(new byte[] {0x2F}, choices.next(400));
            default -> new byte[0];
        };
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** Metadata as publishers send it, or a data message of odd values. */
    private List<Object> data() {
        if (choices.next(2) == 0) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("width", oddValue(0));
            meta.put("videocodecid", pick(List.of(7.0, 12.0, "hvc1", "avc1")));
            return DataMessages.setDataFrame(meta);
        }
        List<Object> values = new ArrayList<>();
        values.add(pick(List.of("@setDataFrame", "onMetaData", "onTextData", "onCuePoint", "|RtmpSampleAccess", "")));
        for (int n = choices.next(3); n > 0; n--) {
            values.add(oddValue(1));
        }
        return values;
    }

    private byte[] filled(byte[] head, int extra) {
        byte[] out = Arrays.copyOf(head, head.length + extra);
        Arrays.fill(out, head.length, out.length, (byte) choices.next(256));
        return out;
    }

    private <T> T pick(List<T> options) {
        return options.get(choices.next(options.size()));
    }
}
