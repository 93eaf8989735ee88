package io.openlive.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own histograms, scraped over HTTP before and after a step, give percentiles of that step only. */
class ServerHistogramTest {
    private static String metrics(long rtmpFast, long rtmpSlow, long httpFast) {
        return """
                # TYPE openlive_egress_delay_seconds histogram
                openlive_egress_delay_seconds_bucket{protocol="rtmp",le="0.005"} %d
                openlive_egress_delay_seconds_bucket{protocol="rtmp",le="0.02"} %d
                openlive_egress_delay_seconds_bucket{le="+Inf",protocol="rtmp"} %d
                openlive_egress_delay_seconds_bucket{protocol="http-flv",le="0.005"} %d
                openlive_egress_delay_seconds_bucket{protocol="http-flv",le="+Inf"} %d
                openlive_first_frame_seconds_bucket{protocol="rtmp",le="0.001"} 99
                """.formatted(rtmpFast, rtmpFast + rtmpSlow, rtmpFast + rtmpSlow, httpFast, httpFast);
    }

    @Test
    void percentilesComeFromTheBucketsOfOneProtocolBetweenTwoScrapes() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(metrics(1000, 0, 5));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            ServerHistogram rtmp = new ServerHistogram(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics"),
                    ServerHistogram.EGRESS_DELAY, "rtmp");
            Map<Double, Double> before = rtmp.scrape();
            assertThat(before).containsEntry(0.005, 1000.0).containsEntry(Double.POSITIVE_INFINITY, 1000.0);

            // during the step: 90 fast and 10 slow observations; the 1000 before it must not dilute the slow ones
            body.set(metrics(1090, 10, 5));
            Map<Double, Double> after = rtmp.scrape();
            assertThat(ServerHistogram.percentileMs(before, after, 0.5)).isEqualTo(5.0);
            assertThat(ServerHistogram.percentileMs(before, after, 0.99)).isEqualTo(20.0);
            assertThat(ServerHistogram.percentileMs(after, after, 0.99)).as("no observations in the step").isNaN();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aServerWithoutTheEndpointGivesNoFigures() {
        ServerHistogram none = new ServerHistogram(URI.create("http://127.0.0.1:9/metrics"), ServerHistogram.EGRESS_DELAY, "rtmp");
        assertThat(none.scrape()).isEmpty();
        assertThat(ServerHistogram.percentileMs(Map.of(), Map.of(), 0.99)).isNaN();
    }
}
