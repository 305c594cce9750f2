package io.nexttrack.numeric;

/**
 * The k best entries of a score vector, best first, in O(V log k): ties go to the lower index, and NaN
 * ranks below every number (as in {@code io.nexttrack.eval.RankingMetrics}). Holding only a size-k heap keeps it cheap for
 * catalogues of tens of thousands of songs.
 */
public final class TopK {
    private TopK() {}

    /** Indices (relative to {@code offset}) of the {@code min(k, length)} best of {@code scores[offset .. offset+length)}. */
    public static int[] of(float[] scores, int offset, int length, int k) {
        if (k < 0 || length < 0 || offset < 0 || offset + length > scores.length) {
            throw new IllegalArgumentException("bad segment or k: offset " + offset + ", length " + length + ", k " + k);
        }
        int n = Math.min(k, length);
        if (n == 0) return new int[0];
        // Min-heap on "goodness": the root is the worst of the entries kept so far.
        int[] heap = new int[n];
        int size = 0;
        for (int i = 0; i < length; i++) {
            if (size < n) {
                heap[size] = i;
                siftUp(scores, offset, heap, size++);
                continue;
            }
            // Once full, a later index must beat the worst kept score strictly (it loses every tie); NaN never does.
            float x = scores[offset + i], floor = scores[offset + heap[0]];
            if (x > floor || (floor != floor && x == x)) {
                heap[0] = i;
                siftDown(scores, offset, heap, n);
            }
        }
        // Pop the worst first into the back: the result is sorted best first.
        int[] out = new int[n];
        for (int last = n - 1; last >= 0; last--) {
            out[last] = heap[0];
            heap[0] = heap[last];
            siftDown(scores, offset, heap, last);
        }
        return out;
    }

    /** Whether entry a ranks before entry b. */
    static boolean better(float[] s, int offset, int a, int b) {
        float x = s[offset + a], y = s[offset + b];
        if (x > y) return true;
        if (x < y) return false;
        boolean xNaN = x != x, yNaN = y != y;
        if (xNaN != yNaN) return yNaN;
        return a < b;
    }

    private static void siftUp(float[] s, int offset, int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(s, offset, heap[parent], heap[i])) break;
            swap(heap, i, parent);
            i = parent;
        }
    }

    private static void siftDown(float[] s, int offset, int[] heap, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && better(s, offset, heap[worst], heap[l])) worst = l;
            if (r < size && better(s, offset, heap[worst], heap[r])) worst = r;
            if (worst == i) return;
            swap(heap, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
