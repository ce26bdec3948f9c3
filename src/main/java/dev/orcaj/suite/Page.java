package dev.orcaj.suite;

import dev.orcaj.orca.Html;

import java.util.ArrayList;
import java.util.List;

/**
 * A results page as a list of blocks, rendered once as Markdown (docs/RESULTS.md) and once as HTML, so that both
 * always show the same tables. Text may hold {@code `code`} spans; everything else is plain text, escaped on output.
 */
public final class Page {
    sealed interface Block permits Heading, Paragraph, Bullets, Table {}

    record Heading(int level, String text) implements Block {}

    record Paragraph(String text) implements Block {}

    record Bullets(List<String> items) implements Block {}

    record Table(List<String> header, List<List<String>> rows) implements Block {}

    final List<Block> blocks = new ArrayList<>();

    Page heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    Page paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Page bullets(List<String> items) {
        if (!items.isEmpty()) blocks.add(new Bullets(List.copyOf(items)));
        return this;
    }

    Page table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    public String markdown() {
        StringBuilder b = new StringBuilder();
        for (Block x : blocks) {
            switch (x) {
                case Heading h -> b.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
                case Paragraph p -> b.append(p.text()).append("\n\n");
                case Bullets l -> {
                    for (String i : l.items()) b.append("- ").append(i).append('\n');
                    b.append('\n');
                }
                case Table t -> {
                    b.append(row(t.header())).append('|').append("---|".repeat(t.header().size())).append('\n');
                    for (List<String> r : t.rows()) b.append(row(r));
                    b.append('\n');
                }
            }
        }
        return b.toString().stripTrailing() + "\n";
    }

    private static String row(List<String> cells) {
        StringBuilder b = new StringBuilder("|");
        for (String c : cells) b.append(' ').append(c.replace("|", "\\|")).append(" |");
        return b.append('\n').toString();
    }

    public String html(String title) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.esc(title)).append("</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}")
                .append("th{background:#f3f3f3}code{background:#f3f3f3;padding:0 .2em}</style></head><body>\n");
        for (Block x : blocks) {
            switch (x) {
                case Heading h -> b.append("<h").append(h.level()).append('>').append(inline(h.text())).append("</h").append(h.level()).append(">\n");
                case Paragraph p -> b.append("<p>").append(inline(p.text())).append("</p>\n");
                case Bullets l -> {
                    b.append("<ul>");
                    for (String i : l.items()) b.append("<li>").append(inline(i)).append("</li>");
                    b.append("</ul>\n");
                }
                case Table t -> {
                    b.append("<table><tr>");
                    for (String c : t.header()) b.append("<th>").append(inline(c)).append("</th>");
                    b.append("</tr>\n");
                    for (List<String> r : t.rows()) {
                        b.append("<tr>");
                        for (String c : r) b.append("<td>").append(inline(c)).append("</td>");
                        b.append("</tr>\n");
                    }
                    b.append("</table>\n");
                }
            }
        }
        return b.append("</body></html>\n").toString();
    }

    /** Escapes the text, then turns {@code `x`} into code and {@code **x**} into strong emphasis, as Markdown shows them. */
    static String inline(String s) {
        return Html.esc(s).replaceAll("`([^`]+)`", "<code>$1</code>").replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
    }
}
