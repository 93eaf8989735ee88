package io.openlive.server.browser;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * One headless Debian Chromium driven through /usr/bin/chromedriver (Selenium 4), with a fresh profile directory that is
 * deleted on close. Selenium Manager is never asked for anything: the driver and browser paths are given. Without
 * chromium the test is skipped locally and fails when {@code CI=true}, like the other peers in {@code Tools}.
 * Usage: {@code try (Browser b = Browser.open(390, 844)) { b.get(url); b.await("video plays", () -> ...); }}
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    static Browser open(int width, int height) throws IOException {
        return open(width, height, "no-user-gesture-required");
    }

    /** The same with another autoplay policy, such as {@code document-user-activation-required} (sound needs a gesture). */
    static Browser open(int width, int height, String autoplayPolicy) throws IOException {
        requireChromium();
        Path profile = Files.createTempDirectory("openlive-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--autoplay-policy=" + autoplayPolicy, "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Browser b = new Browser(driver, service, profile);
        b.viewport(width, height);
        return b;
    }

    /** Sets the page's viewport exactly (the window size includes no browser UI in headless mode, but be sure); narrow is mobile. */
    void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    static void requireChromium() {
        if (new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute()) {
            return;
        }
        String message = "chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }

    void get(String url) {
        driver.get(url);
    }

    /** Runs a script in the page (the top document) and returns its value. */
    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs an async script: the last argument is the callback that ends it. */
    Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Waits for a condition the page shows, bounded in time; on time-out the page's console is in the message. */
    void await(String what, Duration limit, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // an element not there yet, a frame still loading
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what
                        + (last == null ? "" : "\nlast failure: " + last.toString().lines().findFirst().orElse(""))
                        + "\nbrowser console:\n" + String.join("\n", console()));
            }
            Thread.sleep(100);
        }
    }

    /** The console lines logged since the last call. */
    List<String> console() {
        List<String> out = new ArrayList<>();
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                out.add(e.getLevel() + " " + e.getMessage());
            }
        } catch (RuntimeException e) {
            out.add("(console unavailable: " + e.getMessage() + ")");
        }
        return out;
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    WebDriver.TargetLocator switchTo() {
        return driver.switchTo();
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
