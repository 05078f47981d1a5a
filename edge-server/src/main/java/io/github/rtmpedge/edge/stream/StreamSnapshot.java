package io.github.rtmpedge.edge.stream;

import io.github.rtmpedge.rtmp.flv.AudioCodec;
import io.github.rtmpedge.rtmp.flv.CodecDetails;
import io.github.rtmpedge.rtmp.flv.VideoCodec;

/**
 * What an operator sees of one live stream at one moment ({@code /api/v1/streams}). Taken on the
 * stream's event loop by {@link LiveStream#snapshot()}. Holds no query: a stream's
 * {@code ?token=…} is a secret and never leaves the server this way.
 *
 * @param id the stream's id in the API ({@code /api/v1/streams/{id}}), unique while the server runs
 * @param key application and stream name
 * @param sourceKind the kind of source ({@code upstream_pull}, a local one, or {@code none})
 * @param origin the publisher's address or the origin pulled from ({@code host:port}); empty without a source
 * @param players subscribers (players, and an upstream push of a publish edge)
 * @param bitrateIn payload bits per second from the source over the last few seconds
 * @param bitrateOut bits per second handed to the players over the last few seconds
 * @param bytesIn payload bytes from the source since the stream was created
 * @param bytesOut bytes (chunked, on the wire) handed to the players since the stream was created
 * @param framesIn media and data messages from the source
 * @param uptimeMillis since the stream was created
 * @param videoCodec from the last video sequence header; {@link VideoCodec#UNKNOWN} before one
 * @param audioCodec from the last audio sequence header; {@link AudioCodec#UNKNOWN} before one
 * @param width from the metadata ({@code onMetaData.width}), 0 if absent
 * @param height from the metadata ({@code onMetaData.height}), 0 if absent
 * @param publisherId the client id of a local publisher; empty for an upstream pull or no source
 * @param tcUrl the publisher's tcUrl, or the origin's URL of a pull; empty without a source
 * @param videoFrames video frames (not sequence headers) from the source
 * @param bitrateIn30s payload bits per second from the source over the last 30 seconds
 * @param bitrateOut30s bits per second handed to the players over the last 30 seconds
 * @param avc the AVC profile and level of the current session; null if not AVC or no header yet
 * @param aac the AAC details of the current session; null if not AAC or no header yet
 */
public record StreamSnapshot(
        String id,
        StreamKey key,
        String sourceKind,
        String origin,
        int players,
        long bitrateIn,
        long bitrateOut,
        long bytesIn,
        long bytesOut,
        long framesIn,
        long uptimeMillis,
        VideoCodec videoCodec,
        AudioCodec audioCodec,
        int width,
        int height,
        String publisherId,
        String tcUrl,
        long videoFrames,
        long bitrateIn30s,
        long bitrateOut30s,
        CodecDetails.Avc avc,
        CodecDetails.Aac aac,
        long originSinceMillis,
        long failovers) {}
