package dev.orcaj.orca;

import java.util.List;
import java.util.Locale;

/** Minimal inline SVG charts for the report: line charts with axes and legend, and stacked time bars. */
final class Svg {
    private static final int W = 460, H = 280, L = 60, R = 10, T = 10, B = 60;

    private Svg() {}

    static String lines(List<ReportHtml.Series> series, String xLabel, String yLabel) {
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        int xmax = 1;
        for (ReportHtml.Series s : series) {
            for (double v : s.y()) if (Double.isFinite(v)) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
            xmax = Math.max(xmax, s.firstX() + s.y().length - 1);
        }
        if (!(ymax > ymin)) { ymin -= 1; ymax += 1; }
        int legendRows = (series.size() + 1) / 2;
        StringBuilder b = frame(xLabel, yLabel, H + 11 * Math.max(0, legendRows - 1));
        for (int i = 0; i <= 4; i++) {
            double v = ymin + (ymax - ymin) * i / 4;
            double y = py(v, ymin, ymax);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", L - 4, y + 3, Report.fmt(v)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">0</text><text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%d</text>",
                L, H - B + 12, W - R, H - B + 12, xmax));
        int row = 0;
        for (ReportHtml.Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int k = 0; k < s.y().length; k++) {
                if (!Double.isFinite(s.y()[k])) continue;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(s.firstX() + k, xmax), py(s.y()[k], ymin, ymax)));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color()).append("\" stroke-dasharray=\"").append(s.dash())
                    .append("\" points=\"").append(pts).append("\"/>");
            int ly = H - 12 + (row / 2) * 11;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>",
                    L + (row % 2) * 200, ly - 3, L + 16 + (row % 2) * 200, ly - 3, s.color(), s.dash(), L + 20 + (row % 2) * 200, ly, ReportHtml.esc(s.label())));
            row++;
        }
        return b.append("</svg>").toString();
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
                    x + w / 2, H - B + 11, ReportHtml.esc(e.method()), x + w / 2, H - B + 20, e.seed()));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", L - 4, T + 8, Report.fmt(max)));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"8\" fill=\"#ff7f0e\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">stage 2 align</text>"
                + "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"8\" fill=\"#1f77b4\"/><text x=\"%d\" y=\"%d\" font-size=\"10\">stage 3 refine</text>",
                L, H - 30, L + 14, H - 22, L + 120, H - 30, L + 134, H - 22));
        return b.append("</svg>").toString();
    }

    private static double alignSeconds(Report.Entry e) { return e.outcome().align() == null ? 0 : e.outcome().align().seconds(); }

    private static StringBuilder frame(String xLabel, String yLabel, int height) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">", W, height, W, height));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", L, T, W - L - R, H - T - B));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>", (L + W - R) / 2, H - B + 31, ReportHtml.esc(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>", (T + H - B) / 2, (T + H - B) / 2, ReportHtml.esc(yLabel)));
        return b;
    }

    private static double px(double x, int xmax) { return L + (W - L - R) * x / Math.max(xmax, 1); }

    private static double py(double v, double ymin, double ymax) { return (H - B) - (H - B - T) * (v - ymin) / (ymax - ymin); }
}
