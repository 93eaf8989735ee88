package io.openlive.protocol.rtmp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replies a server sends to NetConnection and NetStream commands (RTMP specification 1.0, 7.2), in the shape OBS,
 * ffmpeg and librtmp expect: {@code _result}/{@code _error} for calls with a transaction id, {@code onStatus} with
 * level, code and description for stream events.
 */
public final class RtmpCommands {
    public static final String NETSTREAM_PUBLISH_START = "NetStream.Publish.Start";
    public static final String NETSTREAM_PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String NETSTREAM_PUBLISH_DENIED = "NetStream.Publish.Denied";
    public static final String NETSTREAM_UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String NETSTREAM_PLAY_RESET = "NetStream.Play.Reset";
    public static final String NETSTREAM_PLAY_START = "NetStream.Play.Start";
    public static final String NETSTREAM_PLAY_STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    public static final String NETSTREAM_PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
    public static final String NETSTREAM_DATA_START = "NetStream.Data.Start";

    private RtmpCommands() {
    }

    /** {@code _result} for connect (7.2.1.1): server properties and the NetConnection.Connect.Success information object. */
    public static RtmpMessage.Command connectResult(double transactionId, double objectEncoding) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,5,7,7009");
        properties.put("capabilities", 31.0);
        properties.put("mode", 1.0);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", "status");
        info.put("code", "NetConnection.Connect.Success");
        info.put("description", "Connection succeeded.");
        info.put("objectEncoding", objectEncoding);
        return new RtmpMessage.Command(0, "_result", transactionId, properties, List.of(info));
    }

    /** {@code _error} for connect, e.g. an unknown application. */
    public static RtmpMessage.Command connectRejected(double transactionId, String description) {
        return new RtmpMessage.Command(0, "_error", transactionId, Map.of(),
                List.of(info("error", "NetConnection.Connect.Rejected", description)));
    }

    /** {@code _result} carrying a single value, e.g. the stream id for createStream (7.2.1.3). */
    public static RtmpMessage.Command result(double transactionId, Object value) {
        return new RtmpMessage.Command(0, "_result", transactionId, Map.of(), value == null ? List.of() : List.of(value));
    }

    /** {@code onStatus} on a message stream (7.2.2). */
    public static RtmpMessage.Command onStatus(int streamId, String level, String code, String description) {
        return new RtmpMessage.Command(streamId, "onStatus", 0, Map.of(), List.of(info(level, code, description)));
    }

    /** {@code onFCPublish}, which some encoders wait for after FCPublish. */
    public static RtmpMessage.Command onFcPublish(String code, String description) {
        return new RtmpMessage.Command(0, "onFCPublish", 0, Map.of(), List.of(info("status", code, description)));
    }

    private static Map<String, Object> info(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    /** The first string argument of a command (the stream name of publish/play), or empty. */
    public static String firstStringArgument(RtmpMessage.Command command) {
        for (Object argument : command.arguments()) {
            if (argument instanceof String s) {
                return s;
            }
        }
        return "";
    }
}
