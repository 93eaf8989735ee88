package io.openlive.bench;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One headless Chromium driven through a given chromedriver (Selenium 4), with a fresh profile directory deleted on
 * close, so every load is a first visit (cold cache). Selenium Manager is never consulted: both paths are given and
 * checked first. Usage: {@code try (HeadlessChromium c = HeadlessChromium.open(chromium, driver)) { c.get(url); }}
 */
final class HeadlessChromium implements AutoCloseable {
    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static HeadlessChromium open(Path chromium, Path chromedriver) throws IOException {
        requireExecutable(chromium, "--chromium");
        requireExecutable(chromedriver, "--chromedriver");
        Path profile = Files.createTempDirectory("openlive-bench-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile, "--window-size=1280,800");
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
            return new HeadlessChromium(driver, service, profile);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    static void requireExecutable(Path file, String option) {
        if (!new File(file.toString()).canExecute()) {
            throw new IllegalArgumentException(option + " " + file + " is not an executable file");
        }
    }

    /** Chromium's network emulation for what this browser loads from now on (HTTP requests; not WebSocket frames). */
    void throttle(int kbps, int latencyMs) {
        driver.executeCdpCommand("Network.enable", java.util.Map.of());
        long bytesPerSecond = kbps * 1000L / 8;
        driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", false, "latency", latencyMs,
                "downloadThroughput", bytesPerSecond, "uploadThroughput", bytesPerSecond));
    }

    /**
     * Starts Chromium's audio service: a silent AudioContext on about:blank, closed once it runs. The service is a process
     * of its own, launched at a browser's first sound; on this bench's one core that launch took 0.6-0.9 s, which a first
     * playback waits for (its audio renderer needs the output), and a browser that has played sound before does not.
     * Needs --autoplay-policy=no-user-gesture-required, which this browser has.
     */
    void warmAudio() {
        driver.get("about:blank");
        Object state = jsAsync("""
                const done = arguments[arguments.length - 1];
                const ctx = new AudioContext();
                const gain = ctx.createGain();
                gain.gain.value = 0;
                const osc = ctx.createOscillator();
                osc.connect(gain).connect(ctx.destination);
                osc.start();
                ctx.resume().then(() => setTimeout(() => { const s = ctx.state; ctx.close(); done(s); }, 200), (e) => done(String(e)));""");
        if (!"running".equals(state)) {
            throw new IllegalStateException("the audio service did not start: AudioContext " + state);
        }
    }

    void get(String url) {
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: the last argument is the callback that ends it. */
    Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
