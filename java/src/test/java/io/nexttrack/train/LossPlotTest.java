package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The loss plot: well-formed SVG whose every mark lies on the canvas, round tick values on both axes, the y axis
 * labelled, the best epoch marked and labelled; one epoch, no validation data and flat curves draw too. Each case
 * is also written to java/target/loss-plots/ to look at.
 */
class LossPlotTest {
    /** A curve that falls and flattens; validation is best at {@code bestAt}, then rises a little. */
    private static List<Hook.Epoch> run(int epochs, int bestAt, boolean validation) {
        List<Hook.Epoch> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double train = 3.4 + 3.6 * Math.exp(-0.35 * e);
            double val = 3.66 + 2.9 * Math.exp(-0.3 * e) + 0.004 * Math.max(0, e - bestAt) - (e == bestAt ? 0.002 : 0);
            h.add(new Hook.Epoch(e, train, validation ? val : Double.NaN, 1000, 1.0, 1000, validation && e <= bestAt));
        }
        return h;
    }

    private static Document parse(String svg, String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target/loss-plots"));
        Files.writeString(dir.resolve(name + ".svg"), svg);
        assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    /** The numbers printed along an axis: right-aligned texts (y) or the texts under the plot (x). */
    private static List<String> tickLabels(Document d, boolean y) {
        List<String> labels = new ArrayList<>();
        NodeList texts = d.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            double ty = Double.parseDouble(t.getAttribute("y"));
            boolean isY = t.getAttribute("text-anchor").equals("end") && Double.parseDouble(t.getAttribute("x")) < LossPlot.LEFT;
            boolean isX = t.getAttribute("text-anchor").equals("middle") && ty > LossPlot.H - LossPlot.BOTTOM && ty < LossPlot.H - 20;
            if (y ? isY : isX) labels.add(t.getTextContent());
        }
        return labels;
    }

    private static void assertEverythingOnTheCanvas(Document d) {
        for (String tag : new String[] {"circle", "line", "text"}) {
            NodeList nodes = d.getElementsByTagName(tag);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element e = (Element) nodes.item(i);
                for (String a : new String[] {"cx", "cy", "x", "x1", "x2", "y", "y1", "y2"}) {
                    if (e.getAttribute(a).isEmpty()) continue;
                    double v = Double.parseDouble(e.getAttribute(a));
                    assertTrue(v >= 0 && v <= (a.contains("x") ? LossPlot.W : LossPlot.H), tag + " " + a + "=" + v);
                }
            }
        }
    }

    /** Equally spaced values, each a whole multiple of 1, 2 or 5 times a power of ten, printed without noise digits. */
    private static void assertRound(List<String> labels) {
        assertTrue(labels.size() >= 2, labels.toString());
        BigDecimal step = new BigDecimal(labels.get(1)).subtract(new BigDecimal(labels.get(0)));
        assertTrue(step.signum() > 0, labels.toString());
        BigDecimal mantissa = step.movePointLeft(step.precision() - step.scale() - 1).stripTrailingZeros();
        assertTrue(List.of("1", "2", "5").contains(mantissa.toPlainString()), "step " + step + " in " + labels);
        for (int i = 0; i < labels.size(); i++) {
            BigDecimal v = new BigDecimal(labels.get(i));
            assertEquals(0, v.remainder(step).signum(), labels.get(i) + " is a multiple of " + step);
            if (i > 0) assertEquals(0, v.subtract(new BigDecimal(labels.get(i - 1))).compareTo(step), labels.toString());
            assertTrue(labels.get(i).length() <= 6, "no noise digits: " + labels.get(i));
        }
    }

    @Test
    void aWholeRunHasRoundTicksALabelledYAxisAndItsBestEpochMarked() throws Exception {
        String svg = LossPlot.svg(run(80, 45, true));
        Document d = parse(svg, "eighty-epochs");
        assertEverythingOnTheCanvas(d);
        assertRound(tickLabels(d, true));
        List<String> x = tickLabels(d, false);
        assertEquals(List.of("1", "10", "20", "30", "40", "50", "60", "70", "80"), x);
        assertTrue(svg.contains(">loss (nats per song)</text>") && svg.contains("rotate(-90"), "the y axis is labelled along it");
        assertTrue(svg.contains(">epoch</text>"));
        assertTrue(svg.contains(">best: epoch 45, validation "), svg);
        assertTrue(svg.contains("stroke-dasharray"), "the best epoch's line");
    }

    @Test
    void oneEpochDraws() throws Exception {
        String svg = LossPlot.svg(run(1, 1, true));
        Document d = parse(svg, "one-epoch");
        assertEverythingOnTheCanvas(d);
        assertRound(tickLabels(d, true));
        assertEquals(List.of("1"), tickLabels(d, false));
        assertEquals(2 + 1, d.getElementsByTagName("circle").getLength(), "a train and a validation point, the best ring");
        assertTrue(svg.contains(">best: epoch 1, validation "), svg);
    }

    @Test
    void withoutValidationThereIsNoBestEpochAndNoValidationCurve() throws Exception {
        String svg = LossPlot.svg(run(12, 12, false));
        Document d = parse(svg, "no-validation");
        assertEverythingOnTheCanvas(d);
        assertRound(tickLabels(d, true));
        assertEquals(List.of("1", "2", "4", "6", "8", "10", "12"), tickLabels(d, false));
        assertFalse(svg.contains("best") || svg.contains(">validation<"), svg);
        assertEquals(1, d.getElementsByTagName("polyline").getLength(), "the training curve only");
    }

    @Test
    void flatCurvesDrawAroundTheirValue() throws Exception {
        List<Hook.Epoch> flat = new ArrayList<>();
        for (int e = 1; e <= 5; e++) flat.add(new Hook.Epoch(e, 3.0, 3.0, 100, 1, 100, e == 1));
        String svg = LossPlot.svg(flat);
        Document d = parse(svg, "flat");
        assertEverythingOnTheCanvas(d);
        List<String> y = tickLabels(d, true);
        assertRound(y);
        assertTrue(new BigDecimal(y.getFirst()).doubleValue() < 3 && new BigDecimal(y.getLast()).doubleValue() > 3, y.toString());
        assertTrue(svg.contains(">best: epoch 1, validation 3.0000<"), svg);
    }

    @Test
    void epochTicksAreRoundAndFew() {
        assertEquals(List.of(1), LossPlot.epochTicks(1));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), LossPlot.epochTicks(10));
        assertEquals(List.of(1, 5, 10, 15, 20, 25, 30, 35, 40, 45), LossPlot.epochTicks(45));
        assertEquals(List.of(1, 100, 200, 300, 400, 500, 600), LossPlot.epochTicks(600));
    }

    @Test
    void axesWidenToRoundValues() {
        LossPlot.Axis a = LossPlot.Axis.of(3.37, 7.02, 6);
        assertEquals(new BigDecimal("1"), a.step());
        assertEquals(List.of("3", "4", "5", "6", "7", "8"), a.ticks().stream().map(BigDecimal::toPlainString).toList());
        LossPlot.Axis b = LossPlot.Axis.of(5.61, 5.74, 6);
        assertEquals(List.of("5.60", "5.65", "5.70", "5.75"), b.ticks().stream().map(BigDecimal::toPlainString).toList());
    }
}
