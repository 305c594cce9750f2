package io.nexttrack.train;

import io.nexttrack.io.AtomicFile;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the training and validation loss per epoch as an SVG file next to the model (no dependencies): both axes
 * with round tick values, the y axis labelled in nats per song, the best epoch (the lowest validation loss, the one
 * the model file holds) marked and labelled. It draws one epoch, a run without validation data and flat curves as
 * well. The file is written atomically; the plot is only a picture, so a failure to write it (a full disk, say) is
 * reported once on stderr and never stops training.
 */
public final class LossPlot implements Hook {
    static final int W = 720, H = 420, LEFT = 78, RIGHT = 24, TOP = 44, BOTTOM = 52;
    /** The first and last epochs sit this far inside the frame, so their points do not sit on it. */
    private static final int INSET = 12;
    private static final String TRAIN = "#1f77b4", VALIDATION = "#d62728", BEST = "#2ca02c";
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
        boolean validation = false;
        Epoch best = null;
        for (Epoch e : history) {
            for (double v : new double[] {e.trainLoss(), e.validationLoss()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            validation |= Double.isFinite(e.validationLoss());
            if (e.best() && Double.isFinite(e.validationLoss())) best = e; // the last improvement is the lowest
        }
        if (!Double.isFinite(lo)) { // nothing finite to draw
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-6 * Math.max(1, Math.abs(hi))) { // flat (to a millionth): give the line some room around it
            double pad = Math.max(0.05, Math.abs(lo) * 0.05);
            lo -= pad;
            hi += pad;
        }
        Axis y = Axis.of(lo, hi, 6);
        int epochs = Math.max(1, history.isEmpty() ? 1 : history.getLast().epoch());
        Plot p = new Plot(y, epochs);

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">nexttrack: loss per epoch</text>%n", LEFT));
        // y: grid lines and round values; the label turned along the axis
        for (BigDecimal v : y.ticks()) {
            double py = p.y(v.doubleValue());
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, W - RIGHT, py, py, LEFT - 6, py + 4,
                    v.toPlainString()));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">"
                + "loss (nats per song)</text>%n", (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2));
        // x: epochs at round steps
        for (int e : epochTicks(epochs)) {
            double px = p.x(e);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", px, px, H - BOTTOM, H - BOTTOM + 5, px,
                    H - BOTTOM + 19, e));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n",
                (LEFT + W - RIGHT) / 2, H - 12));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        if (best != null) s.append(bestMark(p, best));
        s.append(series(p, history, true, TRAIN));
        s.append(series(p, history, false, VALIDATION));
        s.append(legend(validation));
        return s.append("</svg>\n").toString();
    }

    /** A dashed line at the best epoch, a ring on its validation point, and what it was. */
    private static String bestMark(Plot p, Epoch best) {
        double px = p.x(best.epoch()), py = p.y(best.validationLoss());
        boolean right = px > (LEFT + W - RIGHT) / 2.0; // the label goes to the side with room
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>"
                        + "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">best: epoch %d, validation %.4f</text>%n",
                px, px, TOP, H - BOTTOM, BEST, px, py, BEST, px + (right ? -6 : 6), TOP + 16, right ? "end" : "start", BEST,
                best.epoch(), best.validationLoss());
    }

    private static String legend(boolean validation) {
        StringBuilder s = new StringBuilder();
        int x = W - RIGHT - (validation ? 210 : 60);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"16\" stroke=\"%s\" stroke-width=\"2\"/>"
                + "<text x=\"%d\" y=\"20\">train</text>", x, x + 18, TRAIN, x + 22));
        if (validation) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"16\" stroke=\"%s\" stroke-width=\"2\"/>"
                    + "<text x=\"%d\" y=\"20\">validation</text>", x + 62, x + 80, VALIDATION, x + 84));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"16\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>"
                    + "<text x=\"%d\" y=\"20\">best</text>", x + 150, x + 168, BEST, x + 172));
        }
        return s.append('\n').toString();
    }

    private static String series(Plot p, List<Epoch> history, boolean train, String colour) {
        StringBuilder pts = new StringBuilder(), dots = new StringBuilder();
        for (Epoch e : history) {
            double v = train ? e.trainLoss() : e.validationLoss();
            if (!Double.isFinite(v)) continue;
            String px = String.format(Locale.ROOT, "%.1f", p.x(e.epoch())), py = String.format(Locale.ROOT, "%.1f", p.y(v));
            pts.append(px).append(',').append(py).append(' ');
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>", px, py, colour));
        }
        if (pts.isEmpty()) return "";
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%s%n",
                colour, pts.toString().strip(), dots);
    }

    /** Epoch 1, then every multiple of a round step (1, 2, 5, 10, 20, ...) up to the last epoch: at most about 10. */
    static List<Integer> epochTicks(int epochs) {
        int step = 1;
        for (int k = 0; epochs / step > 10; k++) step = new int[] {2, 5, 10}[k % 3] * (int) Math.pow(10, k / 3);
        List<Integer> ticks = new ArrayList<>(List.of(1));
        for (int e = step; e <= epochs; e += step) if (e > 1) ticks.add(e);
        return ticks;
    }

    /** Where epochs and losses go on the canvas. */
    private record Plot(Axis y, int epochs) {
        double x(int epoch) {
            return epochs == 1 ? (LEFT + W - RIGHT) / 2.0
                    : LEFT + INSET + (W - LEFT - RIGHT - 2 * INSET) * (epoch - 1) / (double) (epochs - 1);
        }

        double y(double v) {
            return TOP + (H - TOP - BOTTOM) * (1 - (v - y.lo()) / (y.hi() - y.lo()));
        }
    }

    /**
     * An axis from {@code lo} to {@code hi} widened to whole multiples of a round step (1, 2 or 5 times a power of
     * ten), so every tick is a round value printed exactly.
     */
    record Axis(double lo, double hi, BigDecimal step) {
        static Axis of(double min, double max, int ticks) {
            double raw = (max - min) / Math.max(1, ticks - 1);
            int power = (int) Math.floor(Math.log10(raw));
            BigDecimal step = null;
            for (int m : new int[] {1, 2, 5, 10}) {
                step = BigDecimal.valueOf(m).scaleByPowerOfTen(power);
                if (step.doubleValue() >= raw * (1 - 1e-9)) break;
            }
            step = step.stripTrailingZeros();
            BigDecimal lo = step.multiply(BigDecimal.valueOf(Math.floor(min / step.doubleValue())));
            BigDecimal hi = step.multiply(BigDecimal.valueOf(Math.ceil(max / step.doubleValue())));
            return new Axis(lo.doubleValue(), hi.doubleValue(), step);
        }

        List<BigDecimal> ticks() {
            List<BigDecimal> t = new ArrayList<>();
            long first = Math.round(lo / step.doubleValue()), last = Math.round(hi / step.doubleValue());
            int scale = Math.max(0, step.scale());
            for (long k = first; k <= last; k++) t.add(step.multiply(BigDecimal.valueOf(k)).setScale(scale, java.math.RoundingMode.UNNECESSARY));
            return t;
        }
    }
}
