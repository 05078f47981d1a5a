package io.github.rtmpedge.edge.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rtmpedge.edge.stream.delivery.MediaFrame.Kind;
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
    void newSessionContinuesAfterTheLastPresentationTimeNotOnlyTheLastTimestamp() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 2000, 0); // I, shown at 2000
        t.map(Kind.VIDEO, 2033, 100); // P, shown at 2133 after the B-frames that never came
        t.map(Kind.AUDIO, 2040);
        t.newSession();
        // The new source's keyframe is shown after everything the players were shown (2133), not
        // after the last timestamp (2040) alone: 2133 + SESSION_GAP.
        long keyframe = t.map(Kind.VIDEO, 0, 0);
        assertEquals(2133 + Timeline.SESSION_GAP, keyframe);
        assertEquals(keyframe + 33, t.map(Kind.VIDEO, 33, 66), "later frames keep the source's spacing");
    }

    @Test
    void dataAndHeadersStampedZeroBeforeTheFirstFrameDoNotSetTheNewSessionsOffset() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 5000);
        t.newSession();
        // nginx-rtmp answers a play with |RtmpSampleAccess and metadata at 0, then frames on the
        // stream's own clock (11.5 s in): the frames continue at 5040, not 11.5 s later.
        long data = t.mapUnordered(0);
        long header = t.mapUnordered(0);
        long keyframe = t.map(Kind.VIDEO, 11_500);
        assertEquals(5000 + Timeline.SESSION_GAP, keyframe);
        assertEquals(keyframe, data, "data before the first frame is stamped where the session starts");
        assertEquals(keyframe, header);
        assertEquals(keyframe + 40, t.map(Kind.VIDEO, 11_540));
        assertEquals(keyframe + 40, t.mapUnordered(11_540), "after the first frame, data follows the offset");
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
        assertEquals(67, t.mapUnordered(67)); // AVC sequence header
        assertEquals(34, t.map(Kind.VIDEO, 34)); // keyframe: unchanged, not clamped to 67
        assertEquals(67, t.map(Kind.VIDEO, 67));
        assertEquals(100, t.map(Kind.VIDEO, 100));
    }

    @Test
    void aNewSessionStartingWithAHeaderStampsItWhereItsFirstFrameGoes() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 5000);
        t.newSession();
        assertEquals(5040, t.mapUnordered(0)); // the header is stamped where the session will start
        assertEquals(5040, t.map(Kind.VIDEO, 0));
        assertEquals(5080, t.map(Kind.VIDEO, 40));
    }

    @Test
    void aLargeJumpBackWithinASessionContinuesAfterTheLastTimestamp() {
        // extended timestamps that fall back by hours: clamping would stamp every later frame 0x2000320
        Timeline t = new Timeline();
        t.newSession();
        long high = 0x2000000L;
        for (int i = 0; i <= 20; i++) {
            assertEquals(high + i * 40L, t.map(Kind.VIDEO, high + i * 40L));
        }
        long low = 0x1000100L;
        for (int i = 0; i <= 20; i++) {
            assertEquals(high + 800 + Timeline.SESSION_GAP + i * 40L, t.map(Kind.VIDEO, low + i * 40L));
        }
    }

    @Test
    void aBackwardStepUpToTheLimitIsStillClamped() {
        Timeline t = new Timeline();
        t.newSession();
        assertEquals(5000, t.map(Kind.VIDEO, 5000));
        assertEquals(5000, t.map(Kind.VIDEO, 5000 - Timeline.MAX_BACKWARD_STEP));
        assertEquals(5040, t.map(Kind.VIDEO, 5040));
        assertEquals(5040 + Timeline.SESSION_GAP, t.map(Kind.VIDEO, 5040 - Timeline.MAX_BACKWARD_STEP - 1));
    }

    @Test
    void bothTracksJumpingBackKeepTheirAudioVideoOffset() {
        Timeline t = new Timeline();
        t.newSession();
        assertEquals(100_000, t.map(Kind.VIDEO, 100_000));
        assertEquals(100_010, t.map(Kind.AUDIO, 100_010));
        assertEquals(100_040, t.map(Kind.VIDEO, 100_040));
        assertEquals(100_033, t.map(Kind.AUDIO, 100_033));

        // the source's clock restarts; video comes first
        assertEquals(100_080, t.map(Kind.VIDEO, 0));
        // audio still on the old clock continues on its own, not pushed hours ahead
        assertEquals(100_056, t.map(Kind.AUDIO, 100_056));
        // then audio restarts too and lands 10 ms after the video, as in the source
        assertEquals(100_090, t.map(Kind.AUDIO, 10));
        assertEquals(100_120, t.map(Kind.VIDEO, 40));
        assertEquals(100_113, t.map(Kind.AUDIO, 33));
    }

    @Test
    void aTrackJumpingSomewhereElseIsRebasedOnItsOwn() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 100_000);
        t.map(Kind.AUDIO, 100_010);
        assertEquals(100_050, t.map(Kind.VIDEO, 0));
        // audio falls back too, but to a point that with the video's new offset would be 50 s ahead
        assertEquals(100_090, t.map(Kind.AUDIO, 50_000));
        assertEquals(100_090, t.map(Kind.VIDEO, 40));
        assertEquals(100_113, t.map(Kind.AUDIO, 50_023));
    }

    @Test
    void headersAndDataAfterAJumpFollowTheNewOffset() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 0x2000000L);
        assertEquals(0x2000000L + Timeline.SESSION_GAP, t.map(Kind.VIDEO, 0x1000100L));
        assertEquals(0x2000000L + Timeline.SESSION_GAP, t.mapUnordered(0x1000100L)); // a new AVC header
        assertEquals(0x2000000L + Timeline.SESSION_GAP + 40, t.map(Kind.VIDEO, 0x1000100L + 40));
    }

    @Test
    void aJumpAfterANewSessionIsMeasuredFromTheRebasedTimeline() {
        Timeline t = new Timeline();
        t.newSession();
        t.map(Kind.VIDEO, 9000);
        t.newSession();
        assertEquals(9040, t.map(Kind.VIDEO, 3_600_000));
        assertEquals(9080, t.map(Kind.VIDEO, 3_600_040));
        assertEquals(9080 + Timeline.SESSION_GAP, t.map(Kind.VIDEO, 0));
        assertEquals(9120 + Timeline.SESSION_GAP, t.map(Kind.VIDEO, 40));
    }

    /** B-frames: the last frame shown can be later than the last one decoded; the next session starts after it. */
    @Test
    void newSessionStartsAfterTheLastFramePresented() {
        Timeline t = new Timeline();
        assertEquals(3040, t.map(Kind.VIDEO, 3040, 200)); // shown at 3240
        assertEquals(3120, t.map(Kind.VIDEO, 3120, 0));
        t.newSession();
        long keyframe = t.map(Kind.VIDEO, 0, 80);
        assertEquals(3240 + Timeline.SESSION_GAP, keyframe);
        assertTrue(keyframe + 80 > 3240);
    }
}
