package io.openlive.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlive.server.Ffmpeg;
import io.openlive.server.ServerFixture;
import io.openlive.server.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broadcaster console ({@code /console/}) in real Chromium against a real server: ffmpeg publishes a room delivered
 * to two host apps (Shop and Pay) with realtime viewers in each (two and one). A wrong key is refused with a message;
 * the admin key signs in (kept in sessionStorage only); the room is listed; its chart draws the total and one line per
 * app from the stats API and its tiles and per-app table show the viewers; a restream destination to a closed port is
 * added (its key masked), shows its failures, is stopped and deleted; recording is turned on and the recording listed.
 * Screenshots of the room page at 390x844 and 1366x900 go to a temp folder (printed).
 */
class ConsoleTest {
    static ServerFixture fixture;
    static PlatformApi api;
    static String admin;
    static String roomId;
    static final Map<String, String> apps = new java.util.LinkedHashMap<>();
    static final Map<String, String> secrets = new java.util.HashMap<>();
    static Process ffmpeg;
    static final List<WebSocket> viewers = new ArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Browser.requireChromium();
        fixture = ServerFixture.start();
        api = new PlatformApi(fixture.http(""));
        admin = fixture.server.platform().keys().bootstrapAdmin().orElseThrow();
        for (String name : List.of("Shop", "Pay")) {
            JsonNode app = api.post("/apps", admin, Map.of("name", name, "policy", "direct"));
            apps.put(name, app.path("id").asText());
            secrets.put(name, app.path("secret").asText());
        }
        String broadcaster = api.post("/keys", admin, Map.of("role", "broadcaster")).path("key").asText();
        JsonNode room = api.post("/rooms", broadcaster, Map.of("title", "Console test show", "apps", List.copyOf(apps.values())));
        roomId = room.path("id").asText();
        // a small picture: the test is about the console, not the encoder, and the machine is shared
        ffmpeg = Ffmpeg.start(List.of(Tools.require("ffmpeg"), "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "15",
                "-c:a", "aac", "-b:a", "64k", "-t", "120", "-f", "flv",
                "rtmp://127.0.0.1:" + fixture.server.rtmpPort() + "/live/" + room.path("streamKey").asText()));
        io.openlive.server.Eventually.await("the room is live", Duration.ofSeconds(20),
                () -> api.get("/rooms/" + roomId, admin).path("state").asText().equals("live"));
        for (String[] v : new String[][]{{"Shop", "mia"}, {"Shop", "noa"}, {"Pay", "lou"}}) {
            viewers.add(join(v[0], v[1]));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        viewers.forEach(WebSocket::abort);
        if (ffmpeg != null) {
            Ffmpeg.stop(ffmpeg);
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aBroadcasterSeesTheRoomsFiguresAndRunsItsRestreamsAndRecording() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(fixture.http("/console/"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "style-src 'self'", "connect-src 'self'", "default-src 'none'").doesNotContain("unsafe"));

        Path shots = Files.createTempDirectory("openlive-console");
        try (Browser b = Browser.open(1366, 900)) {
            b.get(fixture.http("/console/"));
            // a wrong key: refused, said so, nothing kept
            signIn(b, "olk_not-a-key");
            b.await("the refusal", Duration.ofSeconds(10), () -> text(b, "#sign-in-messages").contains("refused"));
            assertThat(text(b, "#sign-in-messages")).contains("API_KEY_INVALID");
            assertThat(b.driver.findElement(By.id("sign-out")).isDisplayed()).as("no sign-out before signing in").isFalse();
            b.viewport(390, 844);
            b.screenshot(shots.resolve("sign-in-refused-390x844.png"));
            b.viewport(1366, 900);
            assertThat(b.js("return sessionStorage.length + localStorage.length")).isEqualTo(0L);

            signIn(b, admin);
            b.await("the room listed", Duration.ofSeconds(10), () -> !b.driver.findElements(
                    By.cssSelector("#rooms li[data-room-id='" + roomId + "'] a")).isEmpty());
            assertThat(b.js("return Object.keys(sessionStorage).length + ':' + localStorage.length")).isEqualTo("1:0");
            assertThat(b.driver.getCurrentUrl()).doesNotContain(admin);
            b.viewport(390, 844);
            b.screenshot(shots.resolve("rooms-390x844.png"));
            b.viewport(1366, 900);
            assertThat(text(b, "#who")).contains("admin");
            assertThat(b.driver.findElement(By.id("sign-out")).isDisplayed()).isTrue();
            assertThat(b.driver.findElements(By.xpath("//button[text()='More rooms']")).get(0).isDisplayed()).as("one page only").isFalse();
            b.driver.findElement(By.cssSelector("#rooms li[data-room-id='" + roomId + "'] a")).click();
            b.await("the room page", Duration.ofSeconds(10), () -> text(b, "#room-title").equals("Console test show"));

            // figures: the viewers sampled now, then asked for again through the page's Refresh
            b.await("three viewers counted", Duration.ofSeconds(30), () -> {
                fixture.server.stats().flush();
                b.driver.findElement(By.id("refresh")).click();
                return figure(b, "#tiles [data-figure='peakViewers'] .value").equals("3");
            });
            assertThat(figure(b, "#tiles [data-figure='uniqueViewers'] .value")).isEqualTo("3");
            assertThat(figure(b, "#apps-table tr[data-app='" + apps.get("Shop") + "'] [data-figure='peakViewers']")).isEqualTo("2");
            assertThat(figure(b, "#apps-table tr[data-app='" + apps.get("Pay") + "'] [data-figure='peakViewers']")).isEqualTo("1");
            assertThat(text(b, "#apps-table")).contains("Shop", "Pay");
            for (String label : List.of("Comments", "Likes", "Gifts", "Orders", "Units", "Watch time", "Sales")) {
                assertThat(text(b, "#tiles")).contains(label);
            }
            // the chart as uPlot holds it: x, the total and one line per app, at least two points, the total peaking at 3
            @SuppressWarnings("unchecked")
            Map<String, Object> chart = (Map<String, Object>) b.js("const u = document.getElementById('viewers-chart').uplot;"
                    + "return {labels: u.series.slice(1).map(s => s.label), points: u.data[0].length,"
                    + " totalPeak: Math.max(...u.data[1]), appsPeak: u.data.slice(2).map(d => Math.max(...d)).sort(),"
                    + " canvas: !!document.querySelector('#viewers-chart canvas')}");
            assertThat(chart.get("labels")).asList().containsExactlyInAnyOrder("Total", "Shop", "Pay");
            assertThat((Long) chart.get("points")).isGreaterThanOrEqualTo(2);
            assertThat(chart.get("totalPeak")).isEqualTo(3L);
            assertThat(chart.get("appsPeak")).asList().containsExactly(1L, 2L);
            assertThat(chart.get("canvas")).isEqualTo(true);

            // a restream destination nobody listens on: added, key masked, its failures shown, stopped, deleted
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            // the API's refusal is shown with its code
            b.driver.findElement(By.id("restream-url")).sendKeys("http://127.0.0.1:" + closed + "/live");
            b.driver.findElement(By.id("restream-key")).sendKeys("k");
            b.driver.findElement(By.cssSelector("#restream-form button[type=submit]")).click();
            b.await("the refusal shown", Duration.ofSeconds(10), () -> text(b, "#restream-messages").startsWith("INVALID"));
            b.driver.findElement(By.id("restream-url")).clear();
            b.driver.findElement(By.id("restream-key")).clear();
            String secretKey = "live_1234567890_secretstreamkey";
            b.driver.findElement(By.id("restream-url")).sendKeys("rtmp://127.0.0.1:" + closed + "/live");
            b.driver.findElement(By.id("restream-key")).sendKeys(secretKey);
            b.driver.findElement(By.cssSelector("#restream-form button[type=submit]")).click();
            b.await("the destination listed", Duration.ofSeconds(10), () -> !b.driver.findElements(By.cssSelector("#restreams li")).isEmpty());
            assertThat(b.driver.findElement(By.id("restream-key")).getAttribute("value")).isEmpty();
            b.await("the failed push shown", Duration.ofSeconds(30), () -> {
                b.driver.findElement(By.id("refresh")).click();
                return text(b, "#restreams").contains("Last error");
            });
            String listed = text(b, "#restreams");
            assertThat(listed).contains("rtmp://127.0.0.1:" + closed + "/live").doesNotContain(secretKey).doesNotContain("1234567890");
            assertThat(listed).containsPattern("[1-9]\\d* reconnects?|backoff|connecting");
            shots(b, shots, "room");

            click(b, "#restreams li button", "Stop");
            b.await("stopped", Duration.ofSeconds(10), () -> text(b, "#restreams").contains("disabled")
                    && buttons(b, "#restreams li button").contains("Start"));
            click(b, "#restreams li button", "Delete");
            click(b, "#restreams li button", "Confirm delete");
            b.await("deleted", Duration.ofSeconds(10), () -> text(b, "#restreams").contains("No destinations"));

            // recording: on while live, so a recording is being written at once
            b.await("recording state read", Duration.ofSeconds(10), () -> text(b, "#recording-toggle").equals("Record this room"));
            b.driver.findElement(By.id("recording-toggle")).click();
            b.await("the recording listed", Duration.ofSeconds(15), () -> !b.driver.findElements(
                    By.cssSelector("#recordings li[data-status='recording']")).isEmpty());
            assertThat(text(b, "#recording-toggle")).isEqualTo("Stop recording");
            assertThat(text(b, "#recording-state")).startsWith("On");
            shots(b, shots, "room-recording");

            // off again: the recording is finished, replayable without a key, and can be deleted
            b.driver.findElement(By.id("recording-toggle")).click();
            b.await("the recording finished", Duration.ofSeconds(30), () -> {
                b.driver.findElement(By.id("refresh")).click();
                return !b.driver.findElements(By.cssSelector("#recordings li[data-status='done']")).isEmpty();
            });
            String replay = b.driver.findElement(By.cssSelector("#recordings li[data-status='done'] a")).getAttribute("href");
            assertThat(replay).endsWith(".m3u8");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(replay)).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .startsWith("#EXTM3U");
            click(b, "#recordings li button", "Delete");
            click(b, "#recordings li button", "Confirm delete");
            b.await("the recording deleted", Duration.ofSeconds(10), () -> text(b, "#recordings").contains("No recordings"));

            // no errors but the two refusals provoked above (a CSP violation or a missing file would be one)
            assertThat(b.console()).noneMatch(l -> l.startsWith("SEVERE")
                    && !l.matches("SEVERE \\S+/api/v1/(me|rooms/\\w+/restreams) - Failed to load resource: .* (401|400) .*"));

            b.driver.findElement(By.id("sign-out")).click();
            b.await("signed out", Duration.ofSeconds(5), () -> !b.driver.findElements(By.id("api-key")).isEmpty());
            assertThat(b.js("return sessionStorage.length")).isEqualTo(0L);
            // a room link opened signed out leads to the room once signed in
            b.get(fixture.http("/console/#/rooms/" + roomId));
            signIn(b, admin);
            b.await("the linked room", Duration.ofSeconds(10), () -> text(b, "#room-title").equals("Console test show"));
        }
        System.out.println("console screenshots: " + shots);
    }

    private static void signIn(Browser b, String key) throws InterruptedException {
        b.await("the sign-in form", Duration.ofSeconds(10), () -> b.driver.findElement(By.id("api-key")).isDisplayed());
        WebElement input = b.driver.findElement(By.id("api-key"));
        input.clear();
        input.sendKeys(key);
        b.driver.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    }

    /** A screenshot at the phone and the desktop size, and a whole-page one of each to read the layout below the fold. */
    private static void shots(Browser b, Path dir, String name) throws Exception {
        for (int[] size : new int[][]{{390, 844}, {1366, 900}}) {
            b.viewport(size[0], size[1]);
            b.await("laid out at " + size[0], Duration.ofSeconds(5), () -> Boolean.TRUE.equals(b.js(
                    "return document.getElementById('viewers-chart').querySelector('canvas').width <= window.innerWidth")));
            b.screenshot(dir.resolve(name + "-" + size[0] + "x" + size[1] + ".png"));
            long height = (Long) b.js("return Math.ceil(document.documentElement.scrollHeight)");
            b.viewport(size[0], (int) Math.min(height, 4000));
            b.screenshot(dir.resolve(name + "-" + size[0] + "-full.png"));
        }
        b.viewport(1366, 900);
    }

    private static String text(Browser b, String css) {
        return b.driver.findElement(By.cssSelector(css)).getText();
    }

    private static String figure(Browser b, String css) {
        return (String) b.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css);
    }

    private static List<String> buttons(Browser b, String css) {
        return b.driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static void click(Browser b, String css, String label) throws InterruptedException {
        b.await("a " + label + " button", Duration.ofSeconds(10), () -> buttons(b, css).contains(label));
        b.driver.findElements(By.cssSelector(css)).stream().filter(e -> e.getText().equals(label)).findFirst().orElseThrow().click();
    }

    /** A realtime viewer of the room in one app, signed in with a token its backend signed; returns once welcomed. */
    private static WebSocket join(String app, String user) throws Exception {
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        String url = "ws://127.0.0.1:" + fixture.server.httpPort() + "/rt?room=" + roomId + "&app=" + apps.get(app)
                + "&token=" + URLEncoder.encode(io.openlive.server.realtime.Tokens.viewer(secrets.get(app), user, user), StandardCharsets.UTF_8);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                if (data.toString().contains("welcome")) {
                    welcomed.complete(null);
                }
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        welcomed.get(10, TimeUnit.SECONDS);
        return ws;
    }
}
