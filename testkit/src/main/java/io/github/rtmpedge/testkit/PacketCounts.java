package io.github.rtmpedge.testkit;

/** Packets per media type in a recorded file, as counted by {@code ffprobe -count_packets}. */
public record PacketCounts(long video, long audio) {

    /** No packets: the file is missing, empty or unreadable. */
    public static final PacketCounts NONE = new PacketCounts(0, 0);

    public long total() {
        return video + audio;
    }
}
