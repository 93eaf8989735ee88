package io.openlive.server.hls;

import com.fasterxml.jackson.databind.JsonNode;

/** ffprobe over an HLS URL, for tests in other packages. */
public final class HlsProbe {
    private HlsProbe() {
    }

    public static JsonNode probe(String url, double seconds) throws Exception {
        return HlsTest.probe(url, seconds);
    }
}
