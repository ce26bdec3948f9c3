package dev.orcaj.dashboard;

import dev.orcaj.io.tensorboard.EventFileWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (Debian's chromium driven through chromedriver): the runs table and charts render,
 * a running run's new epoch appears without a reload, and a run named with HTML shows that HTML as text. Skips when
 * chromium or chromedriver is not installed ({@code apt-get install chromium chromium-driver}). Leaves a screenshot in
 * target/dashboard.png; with -Ddashboard.screenshot=docs/dashboard.png it also refreshes the README's picture.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String CRAFTED = "<img src=x onerror=window.__xss=1>";

    @TempDir Path tmp;
    private DashboardServer server;
    private EventFileWriter live;
    private WebDriver browser;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium chromium-driver); skipping the dashboard browser test");
        Path root = Files.createDirectories(tmp.resolve("runs"));
        DashboardFixtures.finishedRun(root, "ecg200-orca");
        DashboardFixtures.finishedRun(root, CRAFTED);
        live = DashboardFixtures.runningRun(root, "darcy-live");
        try {
            DashboardFixtures.search(root, "search-asha");
        } catch (Exception e) {
            throw new IOException(e);
        }
        server = new DashboardServer(List.of(root), "127.0.0.1", 0).start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1100,900",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws IOException {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (live != null) live.close();
    }

    @Test
    void showsRunsChartsLiveEpochsAndNamesAsText() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(b -> b.findElements(By.cssSelector("#runs tbody tr")).size() == 4);

        // the crafted name is text: shown literally, no <img> made from it, its onerror never ran
        List<String> names = browser.findElements(By.cssSelector("#runs tbody td.name")).stream().map(WebElement::getText).toList();
        assertTrue(names.contains(CRAFTED), names.toString());
        assertEquals(0, browser.findElements(By.cssSelector("#runs img")).size());
        assertEquals(Boolean.FALSE, js("return window.__xss !== undefined"));

        // a finished run: methods beside reference baselines, and one curve per method
        row("ecg200-orca").click();
        wait.until(b -> points(b, "validation/accuracy", "orca-seed0") == 3 && points(b, "validation/accuracy", "finetune-seed0") == 3);
        assertEquals(12, points(browser, "train/loss", "orca-seed0"));
        String methods = browser.findElement(By.id("methods")).getText();
        assertTrue(methods.contains("orca") && methods.contains("finetune") && methods.contains("trivial (reference)") && methods.contains("linear (reference)"), methods);
        assertTrue(methods.contains("0.84") && methods.contains("0.64"), methods);
        assertEquals(1, browser.findElements(By.cssSelector("img.picture")).size());
        WebElement report = browser.findElement(By.cssSelector("iframe.report"));
        assertEquals("", report.getDomAttribute("sandbox"), "the report is framed without script rights");
        browser.switchTo().frame(report);
        assertEquals("report", browser.findElement(By.tagName("body")).getText());
        browser.switchTo().defaultContent();
        screenshot();

        // a search: its trial store's tables, an HTML trial id as text
        row("search-asha").click();
        wait.until(b -> b.findElements(By.cssSelector("table.trials")).size() == 3);
        WebElement rungs = browser.findElement(By.cssSelector("table.trials[data-table=rungs]"));
        assertEquals(4, rungs.findElements(By.tagName("tr")).size(), "header and three rungs");
        assertTrue(rungs.getText().contains("<b>t1</b>"), rungs.getText());
        assertEquals(0, browser.findElements(By.cssSelector("table.trials b")).size());

        // a running run: a new epoch written to its event file shows up without a reload
        row("darcy-live").click();
        wait.until(b -> points(b, "validation/accuracy", "orca-seed0") == 1);
        assertEquals("running", row("darcy-live").findElement(By.cssSelector("td.state")).getText());
        js("window.__sameDocument = true");
        live.scalar("train/loss", 2, 0.7);
        live.scalar("validation/accuracy", 2, 0.61);
        live.flush();
        wait.until(b -> points(b, "validation/accuracy", "orca-seed0") == 2);
        assertEquals(Boolean.TRUE, js("return window.__sameDocument === true"), "the page reloaded");
    }

    private WebElement row(String name) {
        return browser.findElements(By.cssSelector("#runs tbody tr")).stream()
                .filter(r -> r.findElement(By.cssSelector("td.name")).getText().equals(name)).findFirst().orElseThrow();
    }

    /** Points of the curve of TensorBoard run {@code run} in the chart of {@code tag}; -1 while it is not drawn. */
    private static int points(WebDriver b, String tag, String run) {
        Object n = ((JavascriptExecutor) b).executeScript(
                "const c = [...document.querySelectorAll('.chart')].find(c => c.dataset.tag === arguments[0]);"
                        + "const l = c && [...c.querySelectorAll('polyline')].find(p => p.dataset.run === arguments[1]);"
                        + "return l ? Number(l.dataset.points) : -1;", tag, run);
        return ((Number) n).intValue();
    }

    private Object js(String script) { return ((JavascriptExecutor) browser).executeScript(script); }

    private void screenshot() throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        String readme = System.getProperty("dashboard.screenshot");
        if (readme != null) Files.copy(shot.toPath(), Path.of(readme), StandardCopyOption.REPLACE_EXISTING);
    }
}
