package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import io.github.rtmpedge.rtmp.amf.AmfObject;
import java.util.Map;
import java.util.Objects;

/**
 * An information object (RTMP spec 7.2.2: onStatus; also the info of connect's _result/_error):
 * level, code, description and any extra fields (details, clientid, objectEncoding, ...).
 *
 * @param description may be null (then not written)
 * @param extra       the other fields in wire order, never null
 */
public record Status(String level, String code, String description, AmfObject extra) {

    public static final String LEVEL_STATUS = "status";
    public static final String LEVEL_WARNING = "warning";
    public static final String LEVEL_ERROR = "error";

    public Status {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(code, "code");
        extra = extra == null ? AmfObject.EMPTY : extra;
    }

    public static Status of(StatusCode code, String description) {
        return new Status(code.level(), code.code(), description, AmfObject.EMPTY);
    }

    /** A copy with one more extra field (replacing a field of that name). */
    public Status with(String name, Object value) {
        return new Status(
                level,
                code,
                description,
                AmfObject.builder().putAll(extra).put(name, value).build());
    }

    /** The status code constant, or null for a code that is not in {@link StatusCode}. */
    public StatusCode statusCode() {
        return StatusCode.fromCode(code);
    }

    /** The AMF object: level, code, description (when not null), then the extra fields. */
    public AmfObject toObject() {
        return AmfObject.builder()
                .put("level", level)
                .put("code", code)
                .putIfNotNull("description", description)
                .putAll(extra)
                .build();
    }

    /**
     * An information object as decoded from AMF.
     *
     * @throws RtmpCodecException when it is not an object or lacks a string level or code
     */
    public static Status parse(Object info) {
        if (!(info instanceof AmfMap map)) {
            throw new RtmpCodecException("status is " + Command.describe(info) + ", expected an object");
        }
        String level = map.string("level");
        String code = map.string("code");
        if (level == null || code == null) {
            throw new RtmpCodecException("status object lacks level or code: " + map);
        }
        AmfObject.Builder extra = AmfObject.builder();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (!e.getKey().equals("level")
                    && !e.getKey().equals("code")
                    && !e.getKey().equals("description")) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new Status(level, code, map.string("description"), extra.build());
    }
}
