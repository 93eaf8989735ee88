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
 * One of the server's own histograms, per protocol, read from its Prometheus endpoint before and after a step:
 * {@code openlive_first_frame_seconds} (play request → first key frame queued) or {@code openlive_egress_delay_seconds}
 * (frame in from the publisher → bytes to a sampled viewer's socket). Percentiles come from the bucket deltas, so they
 * cover that step only.
 */
final class ServerHistogram {
    static final String FIRST_FRAME = "openlive_first_frame_seconds";
    static final String EGRESS_DELAY = "openlive_egress_delay_seconds";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI metrics;
    private final String protocol;
    private final Pattern bucket;

    ServerHistogram(URI metrics, String name, String protocol) {
        this.metrics = metrics;
        this.protocol = protocol;
        this.bucket = Pattern.compile("^" + name
                + "_bucket\\{(?=[^}]*protocol=\"([^\"]+)\")(?=[^}]*le=\"([^\"]+)\")[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    }

    /** Cumulative count per upper bound in seconds ({@code +Inf} as infinity). */
    Map<Double, Double> scrape() {
        Map<Double, Double> buckets = new TreeMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = bucket.matcher(text);
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

    /** The bucket bound (ms) under which fraction {@code p} of this step's observations fall; NaN if none. */
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
