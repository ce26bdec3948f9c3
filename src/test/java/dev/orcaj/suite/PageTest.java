package dev.orcaj.suite;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTest {
    private static Page page() {
        return new Page().heading(1, "Results: `x`").paragraph("**2 / 1 / 0** wins, `orca suite` <b>").table(List.of("task", "a|b"), List.of(List.of("<script>", "0.5")));
    }

    @Test
    void markdownKeepsTextAndEscapesPipesInCells() {
        assertEquals("""
                # Results: `x`

                **2 / 1 / 0** wins, `orca suite` <b>

                | task | a\\|b |
                |---|---|
                | <script> | 0.5 |
                """, page().markdown());
    }

    @Test
    void htmlEscapesEveryStringFromTheData() {
        String h = page().html("t<i>");
        assertTrue(h.contains("<title>t&lt;i&gt;</title>"), h);
        assertTrue(h.contains("<td>&lt;script&gt;</td>"), h);
        assertTrue(h.contains("<p><strong>2 / 1 / 0</strong> wins, <code>orca suite</code> &lt;b&gt;</p>"), h);
        assertTrue(!h.contains("<script>"), h);
    }
}
