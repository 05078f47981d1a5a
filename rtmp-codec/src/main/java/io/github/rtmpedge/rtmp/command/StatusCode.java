package io.github.rtmpedge.rtmp.command;

/**
 * NetConnection and NetStream status codes with the level they are sent at (ActionScript 3
 * NetStatusEvent.info; levels "status", "warning", "error").
 */
public enum StatusCode {
    CONNECT_SUCCESS("NetConnection.Connect.Success", Status.LEVEL_STATUS),
    CONNECT_REJECTED("NetConnection.Connect.Rejected", Status.LEVEL_ERROR),
    CONNECT_FAILED("NetConnection.Connect.Failed", Status.LEVEL_ERROR),
    CONNECT_CLOSED("NetConnection.Connect.Closed", Status.LEVEL_STATUS),
    CONNECT_INVALID_APP("NetConnection.Connect.InvalidApp", Status.LEVEL_ERROR),
    CONNECT_APP_SHUTDOWN("NetConnection.Connect.AppShutdown", Status.LEVEL_ERROR),
    CALL_FAILED("NetConnection.Call.Failed", Status.LEVEL_ERROR),

    PUBLISH_START("NetStream.Publish.Start", Status.LEVEL_STATUS),
    PUBLISH_BAD_NAME("NetStream.Publish.BadName", Status.LEVEL_ERROR),
    PUBLISH_IDLE("NetStream.Publish.Idle", Status.LEVEL_STATUS),
    PUBLISH_DENIED("NetStream.Publish.Denied", Status.LEVEL_ERROR),
    UNPUBLISH_SUCCESS("NetStream.Unpublish.Success", Status.LEVEL_STATUS),

    PLAY_RESET("NetStream.Play.Reset", Status.LEVEL_STATUS),
    PLAY_START("NetStream.Play.Start", Status.LEVEL_STATUS),
    PLAY_STOP("NetStream.Play.Stop", Status.LEVEL_STATUS),
    PLAY_FAILED("NetStream.Play.Failed", Status.LEVEL_ERROR),
    PLAY_STREAM_NOT_FOUND("NetStream.Play.StreamNotFound", Status.LEVEL_ERROR),
    PLAY_UNPUBLISH_NOTIFY("NetStream.Play.UnpublishNotify", Status.LEVEL_STATUS),
    PLAY_PUBLISH_NOTIFY("NetStream.Play.PublishNotify", Status.LEVEL_STATUS),
    PLAY_COMPLETE("NetStream.Play.Complete", Status.LEVEL_STATUS),
    PLAY_INSUFFICIENT_BW("NetStream.Play.InsufficientBW", Status.LEVEL_WARNING),
    PAUSE_NOTIFY("NetStream.Pause.Notify", Status.LEVEL_STATUS),
    UNPAUSE_NOTIFY("NetStream.Unpause.Notify", Status.LEVEL_STATUS),
    SEEK_NOTIFY("NetStream.Seek.Notify", Status.LEVEL_STATUS),
    SEEK_FAILED("NetStream.Seek.Failed", Status.LEVEL_ERROR),
    DATA_START("NetStream.Data.Start", Status.LEVEL_STATUS),
    STREAM_FAILED("NetStream.Failed", Status.LEVEL_ERROR);

    private final String code;
    private final String level;

    StatusCode(String code, String level) {
        this.code = code;
        this.level = level;
    }

    /** The code string, e.g. {@code NetStream.Play.Start}. */
    public String code() {
        return code;
    }

    /** The level this code is sent at: {@code status}, {@code warning} or {@code error}. */
    public String level() {
        return level;
    }

    /** The constant for a code string, or null when the code is not one of these. */
    public static StatusCode fromCode(String code) {
        for (StatusCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}
