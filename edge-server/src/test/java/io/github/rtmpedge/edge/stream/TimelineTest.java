package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rtmpedge.edge.stream.MediaFrame.Kind;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void firstSessionPassesTimestampsUnchanged() {
        Timeline t = new Timeline();
        t.newSession();
        assertEquals(1000, t.map(Kind.VIDEO, 1000));
        assertEquals(1023, t.map(Kind.AUDIO, 1023));
        assertEquals(1040, t.map(Kind.VIDEO, 1040));
        assertEquals(1040, t.mapUnordered(1040));
    }

    @Test
    void newSessionContinuesAfterLastTimestampPlusGap() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 5000);
        t.map(Kind.AUDIO, 5010);
        t.newSession();
        // the new source restarts at 0: it continues at lastOut (5010) + SESSION_GAP (40)
        assertEquals(5010 + Timeline.SESSION_GAP, t.map(Kind.VIDEO, 0));
    }

    @Test
    void newSessionKeepsTheAudioVideoOffsetsOfTheSource() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 9000);
        t.newSession();
        long video = t.map(Kind.VIDEO, 200);
        long audio = t.map(Kind.AUDIO, 223);
        long video2 = t.map(Kind.VIDEO, 240);
        assertEquals(9040, video);
        assertEquals(23, audio - video);
        assertEquals(40, video2 - video);
    }

    @Test
    void eachTrackIsClampedSoItNeverGoesBackwards() {
        Timeline t = new Timeline();
        t.newSession();
        assertEquals(1000, t.map(Kind.VIDEO, 1000));
        assertEquals(1000, t.map(Kind.VIDEO, 960)); // B-frame order or a glitch: held at 1000
        assertEquals(500, t.map(Kind.AUDIO, 500)); // the other track has its own clamp
    }

    @Test
    void sessionStartingAheadIsRebasedDownToo() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 100);
        t.newSession();
        // an upstream reconnect whose source is at 3,600,000 ms continues right after 100
        assertEquals(140, t.map(Kind.VIDEO, 3_600_000));
        assertEquals(180, t.map(Kind.VIDEO, 3_600_040));
    }

    @Test
    void sessionWithoutEarlierOutputIsNotRebased() {
        Timeline t = new Timeline();
        t.newSession();
        t.newSession(); // the first source sent nothing
        assertEquals(777, t.map(Kind.AUDIO, 777));
    }

    @Test
    void aHeaderStampedLaterThanTheNextFrameDoesNotPushTheFrameUp() {
        // nginx-rtmp may stamp a new player's sequence header with the time it sends it
        Timeline t = new Timeline();
        t.newSession();
        assertEquals(67, t.mapUnordered(67));   // AVC sequence header
        assertEquals(34, t.map(Kind.VIDEO, 34)); // keyframe: unchanged, not clamped to 67
        assertEquals(67, t.map(Kind.VIDEO, 67));
        assertEquals(100, t.map(Kind.VIDEO, 100));
    }

    @Test
    void aNewSessionStartingWithAHeaderRebasesOnIt() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 5000);
        t.newSession();
        assertEquals(5040, t.mapUnordered(0));  // the header opens the session
        assertEquals(5040, t.map(Kind.VIDEO, 0));
        assertEquals(5080, t.map(Kind.VIDEO, 40));
    }
}
