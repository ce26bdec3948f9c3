package dev.orcaj.orca;

/**
 * The page shell shared by the self-contained HTML reports ({@code report.html} of a run, {@code tune.html} of a
 * search): one stylesheet, no scripts, no network, and the escaping every string from data goes through.
 */
public final class Html {
    private static final String STYLE = "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:0.5em 0}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}.charts{display:flex;flex-wrap:wrap;gap:16px}"
            + "figure{margin:0}figcaption{font-size:90%;text-align:center}tr.reference td{background:#fafafa;font-style:italic}"
            + "td.l{text-align:left}table.cm td{min-width:2em}tr.best td{font-weight:bold;background:#eef6ee}";

    private Html() {}

    /** The document start up to and including {@code <body>} and the page's h1, both {@code title} (escaped here). */
    public static String head(String title) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>" + STYLE + "</style></head><body>"
                + "<h1>" + esc(title) + "</h1>";
    }

    /** The document end after {@link #head}. */
    public static String tail() { return "</body></html>\n"; }

    /** An SVG chart with its caption (the caption escaped here; the SVG escapes its own labels). */
    public static String figure(String caption, String svg) { return "<figure>" + svg + "<figcaption>" + esc(caption) + "</figcaption></figure>"; }

    /** Text safe in HTML content and in quoted attribute values. */
    public static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;"); }
}
