package io.github.rtmpedge.edge.api;

import io.github.rtmpedge.edge.session.ClientSnapshot;
import io.github.rtmpedge.edge.stream.StreamSnapshot;
import io.github.rtmpedge.rtmp.flv.AudioCodec;
import io.github.rtmpedge.rtmp.flv.VideoCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream and client objects of {@code /api/v1/streams} and {@code /api/v1/clients} in SRS's
 * shapes and names (SRS 6's HTTP API v1), with ours beside them. Nothing here holds a query.
 */
final class SrsShapes {

    /** SRS's name of the default virtual host; we have no other. */
    static final String VHOST = "__defaultVhost__";

    private SrsShapes() {}

    static Map<String, Object> stream(StreamSnapshot s, long nowMillis) {
        boolean published = !s.sourceKind().equals("none");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("name", s.key().name());
        out.put("vhost", VHOST);
        out.put("app", s.key().app());
        out.put("tcUrl", s.tcUrl());
        out.put("url", "/" + s.key().app() + "/" + s.key().name());
        out.put("live_ms", nowMillis);
        out.put("clients", s.players() + (s.publisherId().isEmpty() ? 0 : 1));
        out.put("frames", s.videoFrames());
        out.put("send_bytes", s.bytesOut());
        out.put("recv_bytes", s.bytesIn());
        out.put("kbps", kbps(s.bitrateIn30s(), s.bitrateOut30s()));
        Map<String, Object> publish = new LinkedHashMap<>();
        publish.put("active", published);
        if (!s.publisherId().isEmpty()) {
            publish.put("cid", s.publisherId());
        }
        out.put("publish", publish);
        out.put("video", video(s));
        out.put("audio", audio(s));
        // Ours, beside SRS's.
        out.put("source", s.sourceKind());
        out.put("origin", s.origin().isEmpty() ? null : s.origin());
        if (s.sourceKind().equals("upstream_pull")) {
            out.put("origin_since_ms", s.originSinceMillis() == 0 ? null : s.originSinceMillis());
            out.put("failovers", s.failovers());
        }
        out.put("players", s.players());
        out.put("bitrate_in_bps", s.bitrateIn());
        out.put("bitrate_out_bps", s.bitrateOut());
        out.put("frames_in", s.framesIn());
        out.put("uptime_ms", s.uptimeMillis());
        return out;
    }

    private static Map<String, Object> video(StreamSnapshot s) {
        if (s.videoCodec() == VideoCodec.UNKNOWN) {
            return null; // SRS: null before the stream has video
        }
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("codec", videoCodec(s.videoCodec()));
        video.put("profile", s.avc() == null ? "Other" : s.avc().profile());
        video.put("level", s.avc() == null ? "Other" : s.avc().level());
        video.put("width", s.width());
        video.put("height", s.height());
        return video;
    }

    private static Map<String, Object> audio(StreamSnapshot s) {
        if (s.audioCodec() == AudioCodec.UNKNOWN) {
            return null;
        }
        Map<String, Object> audio = new LinkedHashMap<>();
        audio.put("codec", audioCodec(s.audioCodec()));
        audio.put("sample_rate", s.aac() == null ? 0 : s.aac().sampleRate());
        audio.put("channel", s.aac() == null ? 0 : s.aac().channels());
        audio.put("profile", s.aac() == null ? "Other" : s.aac().profile());
        return audio;
    }

    /** SRS's codec names: H264, H265, AV1; AAC, MP3, Opus; otherwise ours. */
    static String videoCodec(VideoCodec codec) {
        return switch (codec) {
            case AVC -> "H264";
            case HEVC -> "H265";
            default -> codec.name();
        };
    }

    static String audioCodec(AudioCodec codec) {
        return switch (codec) {
            case OPUS -> "Opus";
            default -> codec.name();
        };
    }

    /** {@code streamId}: the id of the stream the client publishes or plays, or null. */
    static Map<String, Object> client(ClientSnapshot c, String streamId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("vhost", VHOST);
        out.put("stream", streamId);
        out.put("ip", ip(c.remote()));
        out.put("pageUrl", c.pageUrl());
        out.put("swfUrl", "");
        out.put("tcUrl", c.tcUrl());
        out.put("url", c.app() == null ? null : "/" + c.app() + (c.stream() == null ? "" : "/" + c.stream()));
        out.put("name", c.stream());
        out.put("type", c.type());
        out.put("publish", c.publishing());
        out.put("alive", c.uptimeMillis() / 1000.0);
        out.put("send_bytes", c.bytesOut());
        out.put("recv_bytes", c.bytesIn());
        out.put("kbps", kbps(c.recvBitsPerSecond(), c.sendBitsPerSecond()));
        // Ours, beside SRS's.
        out.put("role", c.role());
        out.put("remote", c.remote());
        out.put("app", c.app());
        out.put("uptime_ms", c.uptimeMillis());
        if (c.player()) {
            out.put("frames_offered", c.framesOffered());
            out.put("frames_sent", c.framesSent());
            out.put("frames_dropped", c.framesDropped());
        }
        return out;
    }

    /** SRS's kbps object: kilobits per second over the last 30 seconds. */
    private static Map<String, Object> kbps(long recvBitsPerSecond, long sendBitsPerSecond) {
        Map<String, Object> kbps = new LinkedHashMap<>();
        kbps.put("recv_30s", recvBitsPerSecond / 1000);
        kbps.put("send_30s", sendBitsPerSecond / 1000);
        return kbps;
    }

    /** The host of {@code host:port} ({@code [v6]:port} too). */
    static String ip(String remote) {
        int colon = remote.lastIndexOf(':');
        String host = colon > 0 ? remote.substring(0, colon) : remote;
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * SRS's paging ({@code ?start=&count=}): from {@code start} (default 0), {@code count} items
     * (at least 10, SRS's default and minimum).
     */
    static <T> List<T> page(List<T> items, int start, int count) {
        int from = Math.min(Math.max(0, start), items.size());
        int n = Math.max(10, count);
        return items.subList(from, (int) Math.min(items.size(), (long) from + n));
    }
}
