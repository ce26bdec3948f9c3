package dev.orcaj.tune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** tune.html from a trial store filled in-process: settings, each trial's rungs, the best trial, escaping. */
class TuneReportHtmlTest {
    /** Rungs of 1 and 3 epochs (top rung 1). */
    private static final Asha.Settings BUDGET = new Asha.Settings(3, 1, 3, 3);
    private static final TrialConfig A = new TrialConfig(8, 16, -1, 0, "adam", 1e-3, 0), B = new TrialConfig(24, 8, 1, 0.05, "sgd", 1e-2, 1e-4),
            C = new TrialConfig(8, 4, -1, 0, "adamw", 1e-6, 1e-5);
    /** A trial id and an error message that carry markup: the page must show them as text. */
    private static final String ODD_ID = "t<b>1</b>", ODD_ERROR = "<script>alert(1)</script> out of memory\nsecond line";

    @TempDir
    Path dir;

    private static TuneReport.Setup setup() {
        return new TuneReport.Setup(BUDGET, SearchSpace.paper(), 7, Search.Order.SIMULATED, 2, 3, "local", Map.of("--data", "npy:<x>.npy", "--body", "minilm"));
    }

    /** t000 at rung 0 (0.625) promoted to rung 1 (0.75); ODD_ID at rung 0 (0.5); t002 failed at rung 0. */
    private static TuneReport.Best fill(TrialStore store) {
        store.started("t000", 0, A.flags(), 0, 1);
        store.finished(new RungResult("t000", 0, 1, 0.625, Map.of("accuracy", 0.625), 1.0));
        store.started(ODD_ID, 1, B.flags(), 0, 1);
        store.finished(new RungResult(ODD_ID, 0, 1, 0.5, Map.of("accuracy", 0.5), 1.0));
        store.started("t002", 2, C.flags(), 0, 1);
        store.failed("t002", 0, ODD_ERROR);
        store.started("t000", 0, A.flags(), 1, 3);
        store.finished(new RungResult("t000", 1, 3, 0.75, Map.of("accuracy", 0.75, "neg_loss", -0.25), 2.0));
        return new TuneReport.Best("finetune", "t000", A, Map.of("--lr", "0.001"), 1, 3, 0.75, Map.of("accuracy", 0.75, "neg_loss", -0.25), Map.of("accuracy", 0.875));
    }

    /** The cells of the table row whose first cell is {@code id} (escaped as on the page). */
    private static List<String> row(String html, String escapedId) {
        Matcher m = Pattern.compile("<tr[^>]*><td class=\"l\">" + Pattern.quote(escapedId) + "</td>(.*?)</tr>").matcher(html);
        assertTrue(m.find(), "a table row for " + escapedId);
        return Pattern.compile("<td[^>]*>(.*?)</td>").matcher(m.group(1)).results().map(r -> r.group(1)).toList();
    }

    @Test
    void pageShowsSettingsEveryTrialsRungsAndTheBestEscaped() throws Exception {
        TuneReport.MethodSearch written;
        try (TrialStore store = TrialStore.open(dir)) {
            written = TuneReport.write(dir, "finetune", setup(), store, fill(store));
        }
        String html = Files.readString(dir.resolve(TuneReport.HTML_FILE));
        assertEquals(3, written.trials().size());
        assertEquals(4, written.rungs().size());

        // settings: budget, order, executor, space and the flags every trial shares
        assertTrue(html.contains(">trials per method</th><td class=\"l\">3</td>"), html);
        assertTrue(html.contains(">epochs per rung (min / max)</th><td class=\"l\">1/3 (1 / 3;"), html);
        assertTrue(html.contains(">eta</th><td class=\"l\">3</td>") && html.contains(">order</th><td class=\"l\">simulated</td>"));
        assertTrue(html.contains(">executor</th><td class=\"l\">local, 2 in parallel x 3 threads</td>"), html);
        assertTrue(html.contains(">space</th>") && html.contains(">--body</th><td class=\"l\">minilm</td>"));

        // the trial table: configuration, each rung's score with the promotion mark, the final score, the error
        assertEquals(List.of(A.toString(), "0.6250 ^", "0.7500", "0.7500 (rung 1)", ""), row(html, "t000"));
        assertEquals(List.of(B.toString(), "0.5000", "", "0.5000 (rung 0)", ""), row(html, "t&lt;b&gt;1&lt;/b&gt;"));
        assertEquals(List.of(C.toString(), "failed", "", "-", "&lt;script&gt;alert(1)&lt;/script&gt; out of memory"), row(html, "t002"));
        assertTrue(html.contains("<tr class=\"best\"><td class=\"l\">t000</td>"), "the best trial's row is marked");

        // the best configuration with its validation and test metrics (no internal sign-flipped entry)
        assertTrue(html.contains("Best: <b>t000</b> (rung 1, 3 epochs), validation score 0.7500"), html);
        assertTrue(html.contains("<th>validation</th><td class=\"l\">accuracy 0.7500</td>") && html.contains("<th>test</th><td class=\"l\">accuracy 0.8750</td>"), html);
        assertFalse(html.contains("neg_loss"));

        // one curve per trial in the rung chart, the failed trial's without points; the trial stopped at rung 0 as a dot
        assertEquals(3, Pattern.compile("<polyline").matcher(html).results().count());
        assertEquals(1, Pattern.compile("<circle").matcher(html).results().count());
        assertTrue(html.contains("validation score per rung"));

        // nothing from the store or the flags reaches the page as markup
        assertFalse(html.contains("<script") || html.contains("<b>1</b>") || html.contains("<x>"), "unescaped data on the page");
        assertTrue(html.contains("npy:&lt;x&gt;.npy"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".tmp")).toList(), "written atomically, no temporary left");
        }
    }

    @Test
    void summaryPageHoldsEveryMethodAndOneWithoutFinishedTrial() throws Exception {
        Path a = Files.createDirectories(dir.resolve("finetune")), b = Files.createDirectories(dir.resolve("scratch"));
        TuneReport.MethodSearch finetune, scratch;
        try (TrialStore store = TrialStore.open(a)) {
            finetune = TuneReport.write(a, "finetune", setup(), store, fill(store));
        }
        try (TrialStore store = TrialStore.open(b)) {
            store.started("t000", 0, A.flags(), 0, 1);
            store.failed("t000", 0, "diverged");
            scratch = TuneReport.write(b, "scratch", setup(), store, null);
        }
        TuneReport.writeHtml(dir, setup(), List.of(finetune, scratch));
        String html = Files.readString(dir.resolve(TuneReport.HTML_FILE));
        assertTrue(html.contains("<h2>finetune</h2>") && html.contains("<h2>scratch</h2>"), html);
        assertTrue(html.indexOf("No trial finished") > html.indexOf("<h2>scratch</h2>"), "the failed search says so in its own section");
        assertEquals(List.of(A.toString(), "failed", "", "-", "diverged"), row(html.substring(html.indexOf("<h2>scratch</h2>")), "t000"));
    }
}
