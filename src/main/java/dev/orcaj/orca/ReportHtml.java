package dev.orcaj.orca;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the self-contained HTML page of a {@link Report}: inline SVG line and bar charts, no scripts, no network. */
final class ReportHtml {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final String[] DASHES = {"", "6,3", "2,3", "8,3,2,3"};

    private ReportHtml() {}

    static String render(TaskLoader.LoadedTask task, List<Report.Entry> entries) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ORCA-J report: ").append(esc(task.spec().name()))
                .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}.charts{display:flex;flex-wrap:wrap;gap:16px}"
                        + "figure{margin:0}figcaption{font-size:90%;text-align:center}</style></head><body>");
        h.append("<h1>ORCA-J report: ").append(esc(task.spec().name())).append("</h1>");
        h.append("<p>Data: <code>").append(esc(task.description())).append("</code>; input ").append(esc(java.util.Arrays.toString(task.spec().inputShape())))
                .append(", ").append(task.spec().kind().name().toLowerCase(Locale.ROOT)).append(" (").append(task.spec().outputs()).append(")")
                .append("; train/validation/test = ").append(task.train().size()).append("/").append(task.val().size()).append("/").append(task.test().size())
                .append(". Model selection on the validation split; test metrics of the selected epoch.</p>");
        h.append(table(entries));
        h.append("<div class=\"charts\">");
        List<Series> loss = new ArrayList<>(), vals = new ArrayList<>(), align = new ArrayList<>();
        String valName = "";
        List<String> methods = entries.stream().map(Report.Entry::method).distinct().toList();
        List<Long> seeds = entries.stream().map(Report.Entry::seed).distinct().toList();
        for (Report.Entry e : entries) {
            // colour = method, dash pattern = seed, so runs of one method read as one family
            String color = COLORS[methods.indexOf(e.method()) % COLORS.length], dash = DASHES[seeds.indexOf(e.seed()) % DASHES.length];
            String label = e.method() + " (seed " + e.seed() + ")";
            List<RefineStage.EpochLog> logs = e.outcome().refine().epochs();
            double[] l = new double[logs.size()], v = new double[logs.size()];
            for (int k = 0; k < logs.size(); k++) {
                l[k] = logs.get(k).trainLoss();
                Map<String, Double> val = logs.get(k).validation();
                String selected = e.outcome().refine().selectMetric();
                String key = selected != null && val.containsKey(selected) ? selected : val.keySet().iterator().next(); // the selection metric
                valName = key;
                v[k] = val.get(key);
            }
            loss.add(new Series(label, l, 1, color, dash));
            vals.add(new Series(label, v, 1, color, dash));
            if (e.outcome().align() != null) align.add(new Series(label, e.outcome().align().curve(), 0, color, dash));
        }
        h.append(figure("Training loss per epoch (stage 3)", Svg.lines(loss, "epoch", "loss")));
        h.append(figure("Validation " + valName + " per epoch", Svg.lines(vals, "epoch", valName)));
        if (!align.isEmpty()) h.append(figure("Stage-2 distance to the source proxy per embedder epoch", Svg.lines(align, "embedder epoch", "distance")));
        h.append(figure("Wall time per stage (seconds)", Svg.stackedBars(entries)));
        h.append("</div></body></html>\n");
        return h.toString();
    }

    private static String table(List<Report.Entry> entries) {
        StringBuilder t = new StringBuilder("<table><tr><th>method</th><th>seed</th><th>k</th><th>tokens</th><th>distance before</th><th>after</th><th>best epoch</th>");
        // per-label AUROCs (multi-label tasks) stay in metrics.json: a column each would swamp the table
        List<String> metrics = new ArrayList<>(entries.getFirst().outcome().refine().test().keySet().stream().filter(m -> !m.startsWith("auroc_label_")).toList());
        for (String m : metrics) t.append("<th>test ").append(esc(m)).append("</th>");
        t.append("<th>align s</th><th>refine s</th></tr>");
        for (Report.Entry e : entries) {
            OrcaRun.Outcome o = e.outcome();
            t.append("<tr><td style=\"text-align:left\">").append(esc(e.method())).append("</td><td>").append(e.seed()).append("</td><td>").append(o.patch())
                    .append("</td><td>").append(o.tokens()).append("</td><td>").append(o.align() == null ? "-" : Report.fmt(o.align().before()))
                    .append("</td><td>").append(o.align() == null ? "-" : Report.fmt(o.align().after())).append("</td><td>").append(o.refine().bestEpoch()).append("</td>");
            for (String m : metrics) t.append("<td>").append(Report.fmt(o.refine().test().getOrDefault(m, Double.NaN))).append("</td>");
            t.append("<td>").append(o.align() == null ? "-" : Report.fmt(o.align().seconds())).append("</td><td>").append(Report.fmt(o.refine().seconds())).append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String figure(String caption, String svg) { return "<figure>" + svg + "<figcaption>" + esc(caption) + "</figcaption></figure>"; }

    static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"); }

    record Series(String label, double[] y, int firstX, String color, String dash) {}
}
