package io.openlive.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own time-to-first-frame histogram ({@code openlive_first_frame_seconds_bucket}) read from its Prometheus
 * endpoint before and after a step; percentiles come from the bucket deltas, so they cover that step's viewers only.
 */
final class ServerFirstFrame {
    private static final Pattern BUCKET = Pattern.compile(
            "^openlive_first_frame_seconds_bucket\\{(?=[^}]*protocol=\"([^\"]+)\")(?=[^}]*le=\"([^\"]+)\")[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI metrics;
    private final String protocol;

    ServerFirstFrame(URI metrics, String protocol) {
        this.metrics = metrics;
        this.protocol = protocol;
    }

    /** Cumulative count per upper bound in seconds ({@code +Inf} as infinity). */
    Map<Double, Double> scrape() {
        Map<Double, Double> buckets = new TreeMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = BUCKET.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(protocol)) {
                    double le = m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
                    buckets.put(le, Double.parseDouble(m.group(3)));
                }
            }
        } catch (Exception e) {
            // no figures from this server
        } 
        return buckets;
    }

    /** The bucket bound (ms) under which fraction {@code p} of this step's viewers got their first frame; NaN if none. */
    static double percentileMs(Map<Double, Double> before, Map<Double, Double> after, double p) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            double delta = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (delta >= p * total) {
                return e.getKey() * 1000;
            }
        }
        return Double.NaN;
    }
}
