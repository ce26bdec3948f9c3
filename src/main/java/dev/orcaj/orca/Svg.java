package dev.orcaj.orca;

import java.util.List;
import java.util.Locale;

/**
 * Minimal inline SVG charts for the report: line charts with axes, legend and horizontal reference levels, stacked
 * time bars, heat maps and scatter plots. Every label from data is escaped.
 */
public final class Svg {
    private static final int W = 460, H = 280, L = 60, R = 10, T = 10, B = 60;
    /** Share of the data range left empty above and below the curves, so a curve at its extreme is not drawn on the frame. */
    private static final double PAD = 0.06;

    private Svg() {}

    /** One curve of a line chart: y[k] drawn at x = firstX + k. */
    public record Series(String label, double[] y, int firstX, String color, String dash) {}

    /** A horizontal line across a line chart (a reference baseline's value). */
    record Level(String label, double value, String color, String dash) {}

    public static String lines(List<Series> series, String xLabel, String yLabel) { return lines(series, List.of(), xLabel, yLabel); }

    static String lines(List<Series> series, List<Level> levels, String xLabel, String yLabel) {
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        int xmin = Integer.MAX_VALUE, xmax = 1;
        for (Series s : series) {
            for (double v : s.y()) if (Double.isFinite(v)) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
            xmin = Math.min(xmin, s.firstX());
            xmax = Math.max(xmax, s.firstX() + s.y().length - 1);
        }
        for (Level l : levels) if (Double.isFinite(l.value())) { ymin = Math.min(ymin, l.value()); ymax = Math.max(ymax, l.value()); }
        if (xmin == Integer.MAX_VALUE || xmin >= xmax) xmin = Math.min(0, xmax - 1);
        if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
        double pad = (ymax - ymin) * PAD;
        ymin -= pad;
        ymax += pad;
        int entries = series.size() + levels.size();
        int legendRows = (entries + 1) / 2;
        StringBuilder b = frame(xLabel, yLabel, H + 11 * Math.max(0, legendRows - 1));
        for (int i = 0; i <= 4; i++) {
            double v = ymin + (ymax - ymin) * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", L - 4, py(v, ymin, ymax) + 3, Report.fmt(v)));
        }
        int step = Math.max(1, (int) Math.ceil((xmax - xmin) / 5.0));
        for (int x = xmin; x <= xmax; x += step) {
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>", px(x, xmin, xmax), H - B + 12, x));
        }
        int row = 0;
        for (Level l : levels) {
            double y = py(l.value(), ymin, ymax);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>", L, y, W - R, y, l.color(), l.dash()));
            legend(b, row++, l.color(), l.dash(), l.label());
        }
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < s.y().length; k++) {
                if (!Double.isFinite(s.y()[k])) continue;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(s.firstX() + k, xmin, xmax), py(s.y()[k], ymin, ymax)));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color()).append("\" stroke-dasharray=\"").append(s.dash())
                    .append("\" points=\"").append(pts).append("\"/>");
            for (int k = 0; k < s.y().length; k++) {
                // a point with no finite neighbour draws no line segment (a one-epoch run, a trial stopped at its first rung): mark it
                boolean isolated = (k == 0 || !Double.isFinite(s.y()[k - 1])) && (k == s.y().length - 1 || !Double.isFinite(s.y()[k + 1]));
                if (isolated && Double.isFinite(s.y()[k])) {
                    b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", px(s.firstX() + k, xmin, xmax), py(s.y()[k], ymin, ymax), s.color()));
                }
            }
            legend(b, row++, s.color(), s.dash(), s.label());
        }
        return b.append("</svg>").toString();
    }

    private static void legend(StringBuilder b, int row, String color, String dash, String label) {
        int ly = H - 10 + (row / 2) * 11, lx = L + (row % 2) * 200;
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
                lx, ly - 3, lx + 16, ly - 3, color, dash, lx + 20, ly, Html.esc(label)));
    }

    static String stackedBars(List<Report.Entry> entries) {
        double max = 1e-9;
        for (Report.Entry e : entries) max = Math.max(max, alignSeconds(e) + e.outcome().refine().seconds());
        StringBuilder b = frame("run", "seconds", H);
        double slot = (double) (W - L - R) / entries.size();
        for (int i = 0; i < entries.size(); i++) {
            Report.Entry e = entries.get(i);
            double x = L + i * slot + slot * 0.15, w = slot * 0.7;
            double a = alignSeconds(e), r = e.outcome().refine().seconds();
            double yA = py(a, 0, max), yR = py(a + r, 0, max);
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#ff7f0e\"/>", x, yA, w, (H - B) - yA));
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f77b4\"/>", x, yR, w, yA - yR));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"8\" text-anchor=\"middle\">%s</text><text x=\"%.1f\" y=\"%d\" font-size=\"8\" text-anchor=\"middle\">seed %d</text>",
                    x + w / 2, H - B + 11, Html.esc(e.method()), x + w / 2, H - B + 20, e.seed()));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", L - 4, T + 8, Report.fmt(max)));
        // the legend sits below the axis label (which ends near H - B + 34), not beside it
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"8\" fill=\"#ff7f0e\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">stage 2 align</text>"
                + "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"8\" fill=\"#1f77b4\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">stage 3 refine</text>",
                L, H - 18, L + 14, H - 10, L + 120, H - 18, L + 134, H - 10));
        return b.append("</svg>").toString();
    }

    /**
     * A heat map of one 2D field [h, w] (row-major), {@code cell} pixels per value, on the colour scale [lo, hi]
     * (blue - white - red), with a caption under it.
     */
    static String heatMap(float[] field, int h, int w, double lo, double hi, int cell, String caption) {
        int width = Math.max(w * cell, 90), height = h * cell + 16;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", width, height, width, height));
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", j * cell, i * cell, cell, cell, color(field[i * w + j], lo, hi)));
            }
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", 0, h * cell + 12, Html.esc(caption)));
        return b.append("</svg>").toString();
    }

    /** Diverging colour of v on [lo, hi]: blue at lo, white in the middle, red at hi. */
    static String color(double v, double lo, double hi) {
        double t = hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0.5;
        int r, g, bl;
        if (t < 0.5) { double s = t / 0.5; r = (int) Math.round(33 + s * (255 - 33)); g = (int) Math.round(102 + s * (255 - 102)); bl = (int) Math.round(172 + s * (255 - 172)); }
        else { double s = (t - 0.5) / 0.5; r = (int) Math.round(255 + s * (178 - 255)); g = (int) Math.round(255 + s * (24 - 255)); bl = (int) Math.round(255 + s * (43 - 255)); }
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }

    /** Predicted against true values, one colour per method, and the diagonal y = x. */
    static String scatter(double[] truth, List<double[]> predicted, List<String> labels, List<String> colors) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : truth) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        for (double[] p : predicted) for (double v : p) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (!(hi > lo)) { lo -= 1; hi += 1; }
        double pad = (hi - lo) * PAD;
        lo -= pad;
        hi += pad;
        int legendRows = (predicted.size() + 2) / 2;
        StringBuilder b = frame("true", "predicted", H + 11 * Math.max(0, legendRows - 1));
        double x0 = L + (W - L - R) * 0.0, x1 = W - R;
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4,3\"/>", x0, py(lo, lo, hi), x1, py(hi, lo, hi)));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", L - 4, py(v, lo, hi) + 3, Report.fmt(v)));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>", L + (W - L - R) * (double) i / 4, H - B + 12, Report.fmt(v)));
        }
        legend(b, 0, "#999", "4,3", "y = x");
        for (int m = 0; m < predicted.size(); m++) {
            double[] p = predicted.get(m);
            for (int i = 0; i < p.length && i < truth.length; i++) {
                if (!Double.isFinite(p[i]) || !Double.isFinite(truth[i])) continue;
                double x = L + (W - L - R) * (truth[i] - lo) / (hi - lo);
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" fill-opacity=\"0.6\"/>", x, py(p[i], lo, hi), colors.get(m)));
            }
            legend(b, m + 1, colors.get(m), "", labels.get(m));
        }
        return b.append("</svg>").toString();
    }

    private static double alignSeconds(Report.Entry e) { return e.outcome().align() == null ? 0 : e.outcome().align().seconds(); }

    private static StringBuilder frame(String xLabel, String yLabel, int height) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", W, height, W, height));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", L, T, W - L - R, H - T - B));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>", (L + W - R) / 2, H - B + 31, Html.esc(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>", (T + H - B) / 2, (T + H - B) / 2, Html.esc(yLabel)));
        return b;
    }

    private static double px(double x, int xmin, int xmax) { return L + (W - L - R) * (x - xmin) / Math.max(xmax - xmin, 1); }

    /** Screen y of value v; values outside [ymin, ymax] are clamped to the frame. */
    static double py(double v, double ymin, double ymax) {
        double y = (H - B) - (H - B - T) * (v - ymin) / (ymax - ymin);
        return Math.max(T, Math.min(H - B, y));
    }
}
