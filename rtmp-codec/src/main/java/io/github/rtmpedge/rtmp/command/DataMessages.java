package io.github.rtmpedge.rtmp.command;

import io.github.rtmpedge.rtmp.RtmpCodecException;
import io.github.rtmpedge.rtmp.amf.AmfEcmaArray;
import io.github.rtmpedge.rtmp.amf.AmfMap;
import java.util.List;
import java.util.Map;

/**
 * AMF values of data messages (types 18/15, RTMP spec 7.1.2): metadata and sample access.
 *
 * <p>Publishers send {@code @setDataFrame, onMetaData, {...}}; servers store and relay it to players
 * as {@code onMetaData, {...}} ({@link #unwrapSetDataFrame(List)}).
 */
public final class DataMessages {

    public static final String SET_DATA_FRAME = "@setDataFrame";
    public static final String ON_META_DATA = "onMetaData";
    public static final String RTMP_SAMPLE_ACCESS = "|RtmpSampleAccess";

    private DataMessages() {}

    /** {@code @setDataFrame, onMetaData, metadata} as a publisher sends it (metadata as an ECMA array). */
    public static List<Object> setDataFrame(Map<String, ?> metadata) {
        return List.of(SET_DATA_FRAME, ON_META_DATA, AmfEcmaArray.copyOf(metadata));
    }

    /** {@code onMetaData, metadata} as a server relays it (metadata as an ECMA array). */
    public static List<Object> onMetaData(Map<String, ?> metadata) {
        return List.of(ON_META_DATA, AmfEcmaArray.copyOf(metadata));
    }

    /** True for {@code @setDataFrame, ...} and {@code onMetaData, ...}. */
    public static boolean isMetaData(List<Object> values) {
        return !values.isEmpty() && (SET_DATA_FRAME.equals(values.get(0)) || ON_META_DATA.equals(values.get(0)));
    }

    /** Drops a leading {@code @setDataFrame}; other values are returned unchanged. */
    public static List<Object> unwrapSetDataFrame(List<Object> values) {
        if (!values.isEmpty() && SET_DATA_FRAME.equals(values.get(0))) {
            return values.subList(1, values.size());
        }
        return values;
    }

    /**
     * The metadata map of {@code @setDataFrame, onMetaData, {...}} or {@code onMetaData, {...}}
     * (object or ECMA array).
     *
     * @throws RtmpCodecException when the values are not metadata or carry no object
     */
    public static AmfMap parseMetaData(List<Object> values) {
        List<Object> unwrapped = unwrapSetDataFrame(values);
        if (unwrapped.isEmpty() || !ON_META_DATA.equals(unwrapped.get(0))) {
            throw new RtmpCodecException("not onMetaData: " + (values.isEmpty() ? "no values" : values.get(0)));
        }
        if (unwrapped.size() < 2 || !(unwrapped.get(1) instanceof AmfMap map)) {
            throw new RtmpCodecException(
                    "onMetaData carries " + (unwrapped.size() < 2 ? "no value" : Command.describe(unwrapped.get(1)))
                            + ", expected an object");
        }
        return map;
    }

    /** {@code |RtmpSampleAccess, audio, video}: lets Flash players read the media samples. */
    public static List<Object> rtmpSampleAccess(boolean audio, boolean video) {
        return List.of(RTMP_SAMPLE_ACCESS, audio, video);
    }
}
