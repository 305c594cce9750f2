package io.nexttrack.train;

import io.nexttrack.io.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the training and validation loss per epoch as an SVG file next to the model (no dependencies). The
 * file is written atomically; the plot is only a picture, so a failure to write it (a full disk, say) is
 * reported once on stderr and never stops training.
 */
public final class LossPlot implements Hook {
    private static final int W = 640, H = 400, LEFT = 60, RIGHT = 20, TOP = 30, BOTTOM = 50;
    private final Path file;
    private final PrintStream warnings;
    private boolean warned;

    public LossPlot(Path file) {
        this(file, System.err);
    }

    public LossPlot(Path file, PrintStream warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        write(trainer.history());
    }

    void write(List<Epoch> history) {
        try {
            AtomicFile.writeText(file, svg(history));
        } catch (IOException | RuntimeException ex) {
            if (!warned) warnings.println("nexttrack: warning: the loss plot was not written (training goes on): "
                    + (ex instanceof FileSystemException f ? f.getMessage() : file + ": " + ex.getMessage()));
            warned = true;
        }
    }

    static String svg(List<Epoch> history) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Epoch e : history) {
            for (double v : new double[] {e.trainLoss(), e.validationLoss()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        int epochs = Math.max(1, history.size());
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">nexttrack: loss per epoch (mean NLL, nats)</text>%n", LEFT));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            double y = y(v, lo, hi);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n", LEFT, W - RIGHT, y, y, LEFT - 5, y + 4, v));
        }
        for (int e = 1; e <= epochs; e += Math.max(1, epochs / 10)) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    x(e, epochs), H - BOTTOM + 18, e));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n", (W + LEFT) / 2, H - 12));
        s.append(series(history, true, lo, hi, epochs, "#1f77b4"));
        s.append(series(history, false, lo, hi, epochs, "#d62728"));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">train</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#d62728\">validation</text>%n</svg>%n", W - 160, TOP + 18, W - 110, TOP + 18));
        return s.toString();
    }

    private static String series(List<Epoch> history, boolean train, double lo, double hi, int epochs, String colour) {
        StringBuilder pts = new StringBuilder(), dots = new StringBuilder();
        for (Epoch e : history) {
            double v = train ? e.trainLoss() : e.validationLoss();
            if (!Double.isFinite(v)) continue;
            String p = String.format(Locale.ROOT, "%.1f,%.1f", x(e.epoch(), epochs), y(v, lo, hi));
            pts.append(p).append(' ');
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", p.split(",")[0], p.split(",")[1], colour));
        }
        if (pts.isEmpty()) return "";
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%s%n",
                colour, pts.toString().strip(), dots);
    }

    private static double x(int epoch, int epochs) {
        return epochs == 1 ? (W + LEFT - RIGHT) / 2.0 : LEFT + (W - LEFT - RIGHT) * (epoch - 1) / (double) (epochs - 1);
    }

    private static double y(double v, double lo, double hi) {
        return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo));
    }
}
