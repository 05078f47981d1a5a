package io.github.rtmpedge.edge.rtmp;

/**
 * What an RTMP session needs from the configuration.
 *
 * @param chunkSize             our outbound chunk size, announced right after connect
 * @param queueLengthMillis     a player's backlog bound in media time
 * @param queueMaxBytes         a player's backlog bound in bytes
 * @param windowAckSize         the acknowledgement window and peer bandwidth we announce
 * @param maxCommandsPerSecond  sustained command messages per second a connection may send; 0 = no limit
 * @param commandBurst          commands a connection may send at once above the sustained rate
 * @param publishLeadWarnMillis a publisher this far ahead of the wall clock is logged and counted
 * @param publishLeadMaxMillis  a publisher this far ahead is disconnected; 0 = never
 * @param ackWarnWindows        a player this many windows behind in acknowledging is logged and counted; 0 = off
 * @param ackMaxWindows         a player this many windows behind is disconnected; 0 = never
 */
public record SessionSettings(
        int chunkSize,
        long queueLengthMillis,
        long queueMaxBytes,
        long windowAckSize,
        int maxCommandsPerSecond,
        int commandBurst,
        long publishLeadWarnMillis,
        long publishLeadMaxMillis,
        int ackWarnWindows,
        int ackMaxWindows) {

    /** Without the hostile-input limits: any command rate, any publishing pace. */
    public SessionSettings(int chunkSize, long queueLengthMillis, long queueMaxBytes, long windowAckSize) {
        this(chunkSize, queueLengthMillis, queueMaxBytes, windowAckSize, 0, 1, Long.MAX_VALUE, 0, 0, 0);
    }
}
