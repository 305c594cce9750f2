package io.nexttrack.engine.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Every CUDA kernel in {@code native/*.cuh}, described once for whoever launches it: the GPU engine through
 * {@code cuLaunchKernel}, and the tests through the host build of the same sources ({@code native/host/}).
 * {@code cuLaunchKernel} checks nothing, so a test ({@code KernelDeclarationsTest}) parses the
 * {@code extern "C" __global__} declarations and checks that they match these descriptions exactly (names,
 * order and C types of the parameters), and another ({@code KernelFatbinTest}) that the fatbin holds every one.
 *
 * <p>Argument conventions: sizes and counts are {@code int} (our buffers are Java-array sized), scalars are
 * {@code float} except where a double accumulator is the point, pointers are device pointers to the
 * element type named. Positions are time-major, {@code pos = t * lanes + b}, and a position is <em>real</em>
 * when {@code t < lengths[b]}; everything else is padding, whose inputs and targets are never read.
 *
 * <p>Grid and block sizes come from {@link Launch}, which checks them against {@link #blockMultiple()} and
 * {@link #singleBlock()}. Each constant names its Java twin: the CPU code the kernel must agree with.
 */
public enum KernelCatalog {
    /** {@code out[i] = value} for {@code i < n}. Grid-stride loop, any grid and block. Twin: {@code Arrays.fill}. */
    FILL("nt_fill", 1, false, "float* out, float value, int n"),

    /**
     * {@code out[i] = a[i] * b[i]} for {@code i < n}; {@code out} may be {@code a}. Grid-stride loop, any grid and
     * block. Twin: the dropout masks in {@code CpuModel} (forward: the layer input; backward: its gradient).
     */
    MULTIPLY("nt_multiply", 1, false, "const float* a, const float* b, float* out, int n"),

    /**
     * {@code out[pos, :] = table[ids[pos], :]} at real positions, zeros at padding; {@code out} is
     * {@code [positions, dim]}. One thread per element of {@code out}. Twin: the embedding rows that
     * {@code CpuModel} copies into the first LSTM layer's input.
     */
    EMBEDDING_GATHER("nt_embedding_gather", 1, false,
            "const int* ids, const int* lengths, const float* table, float* out, int lanes, int positions, int dim"),

    /**
     * The embedding gradient, without atomics: {@code grad_table[songs[k], j] += grad_rows[positions[q], j]} for
     * {@code q} from {@code offsets[k]} up to {@code offsets[k + 1]}, in that order, for each of the {@code count}
     * songs of {@link PositionsBySong}. One thread per element of {@code [count, dim]}. Twin: {@code
     * CpuModel.scatterEmbeddingGradient} (same additions in the same order: the same bits).
     */
    EMBEDDING_GRAD("nt_embedding_grad", 1, false,
            "const int* songs, const int* offsets, const int* positions, const float* grad_rows, float* grad_table, "
                    + "int count, int dim"),

    /**
     * Fused softmax cross-entropy, in place on a block of logit rows {@code [rows, songs]} whose row {@code r} is
     * position {@code first_position + r}: a real row becomes {@code scale * (softmax(z + bias) - onehot(target))}
     * and {@code row_loss[pos] = -log softmax(z + bias)[target]}; a padding row becomes zeros, with loss 0.
     * One block per row ({@link Launch#softmaxXent}); block a multiple of 32. Twin: {@code
     * CpuOutputLayer.softmaxCrossEntropy}.
     */
    SOFTMAX_XENT("nt_softmax_xent", 32, false,
            "float* logits, const float* bias, const int* targets, const int* lengths, float* row_loss, float scale, "
                    + "int first_position, int lanes, int songs"),

    /**
     * {@code loss[0] = row_loss[0] + ... + row_loss[n - 1]} in double, in an order fixed by the block size.
     * Exactly one block; block a multiple of 32. Twin: the double sum in {@code CpuOutputLayer.loss}.
     */
    LOSS_SUM("nt_loss_sum", 32, true, "const float* row_loss, double* loss, int n"),

    /**
     * First pass of the squared gradient norm: {@code partials[block] = } the double sum of {@code g[i]^2} over
     * the block's share of a grid-stride loop. {@link Launch#NORM_BLOCKS} blocks, block a multiple of 32;
     * nothing needs zeroing first. Twin: {@code GradientClipping.norm} (squared).
     */
    SUM_SQUARES_PARTIAL("nt_sum_squares_partial", 32, false, "const float* g, double* partials, int n"),

    /**
     * Second pass: {@code sum_squares[0] = partials[0] + ... + partials[count - 1]}. Exactly one block; block a
     * multiple of 32. Deterministic for fixed launch sizes, unlike an atomic accumulation.
     */
    SUM_SQUARES_FINAL("nt_sum_squares_final", 32, true, "const double* partials, double* sum_squares, int count"),

    /**
     * Clipping folded into Adam: {@code norm = sqrt(sum_squares[0])}; {@code g} is scaled by {@code max_norm /
     * norm} when {@code norm > max_norm}; then Adam's update of {@code m}, {@code v} and {@code p} with the step
     * constants of {@code Adam.nextStep()}, every operation rounded on its own as in Java (no FMA contraction).
     * Grid-stride loop, any grid and block. Twins: {@code GradientClipping.clip} then {@code Adam.update} (the
     * same bits for the same norm).
     */
    CLIP_ADAM("nt_clip_adam", 1, false,
            "float* p, const float* g, float* m, float* v, const double* sum_squares, float max_norm, float alpha_t, "
                    + "float beta1, float beta2, float eps_t, int n"),

    /**
     * One LSTM layer's recurrence over a chunk on the lanes layout, resets included. On entry {@code gates
     * [positions, 4H]} holds {@code X . W[0, in)} (the caller's GEMM, no bias) and {@code h, c [lanes, H]} the
     * carried state; on exit {@code gates} holds the activated gates (i, f, g, o), {@code h_prev, c_prev,
     * tanh_c [positions, H]} what backward needs, {@code out [positions, H]} the output (zeros at padding) and
     * {@code h, c} the state at the end of the chunk. A reset flag at a real step zeroes h and c before it; a
     * padding step leaves them alone. {@code recurrent} points at {@code W[in, in + H)} ({@code [H, 4H]}).
     * Block b owns lanes {@code [b * lanes_per_block, ...)}; {@link Launch#lstm} sizes the grid, the block and
     * the dynamic shared memory, and chooses {@code recurrent_in_shared}. Twin: {@code CpuLstmLayer.forward}.
     */
    LSTM_FORWARD("nt_lstm_forward", 32, false,
            "float* gates, const float* bias, const float* recurrent, const int* lengths, const unsigned char* resets, "
                    + "float* h, float* c, float* h_prev, float* c_prev, float* tanh_c, float* out, int lanes, "
                    + "int steps, int hidden, int lanes_per_block, int recurrent_in_shared"),

    /**
     * Backpropagation through time within the chunk: on entry {@code gates} holds the activated gates saved by
     * {@link #LSTM_FORWARD} and {@code d_out [positions, H]} the gradient w.r.t. its output; on exit {@code gates}
     * holds the gradient w.r.t. the gates' pre-activations (zeros at padding). No gradient flows into the state
     * carried in, nor past a reset. The caller then forms {@code dW[0, in) += X^T . dG}, {@code dW[in, in + H)
     * += h_prev^T . dG}, {@code db += } the column sums of dG (a GEMM with ones, {@code GpuContext.addColumnSums}) and {@code dX = dG . W[0, in)^T}. Launch as
     * {@link #LSTM_FORWARD}. Twin: {@code CpuLstmLayer.backward}.
     */
    LSTM_BACKWARD("nt_lstm_backward", 32, false,
            "float* gates, const float* recurrent, const int* lengths, const unsigned char* resets, const float* d_out, "
                    + "const float* c_prev, const float* tanh_c, int lanes, int steps, int hidden, int lanes_per_block, "
                    + "int recurrent_in_shared"),

    /**
     * Scoring: in place on a block of logit rows {@code [rows, songs]} whose row {@code r} is position {@code
     * first_position + r}, a real row becomes {@code log softmax(z + bias)} (exponentials summed in double);
     * padding rows are left alone. One block per row ({@link Launch#rows}); block a multiple of 32. Twin: the
     * bias added as in {@code CpuOutputLayer.logits}, then {@code LogSoftmax.inPlace}.
     */
    LOG_SOFTMAX("nt_log_softmax", 32, false,
            "float* logits, const float* bias, const int* lengths, int first_position, int lanes, int songs"),

    /**
     * Recommendations: for each selected row {@code rows[row_index[i]]} of {@code [*, songs]}, the {@code k} best
     * songs, best first, ties to the lower index, NaN last ({@code out_songs}, {@code out_scores} {@code [count,
     * k]}). One block per selected row ({@link Launch#rows}); block a power of two in [32, 1024]. Twin: {@code
     * TopK.of}.
     */
    TOP_K("nt_top_k", 32, false, "const float* rows, const int* row_index, int* out_songs, float* out_scores, int songs, int k"),

    /**
     * The sampled loss's output columns: {@code out[h, j] = weight[h, columns[j]]} ({@code weight [hidden, songs]},
     * {@code out [hidden, count]}) and {@code out_bias[j] = bias[columns[j]] + correction[j]} (the logQ correction of
     * {@code engine.Candidates}). One thread per element of {@code [hidden + 1, count]}. Twin: {@code
     * CpuSampledOutputLayer.gatherColumns} (a copy and one addition: the same bits).
     */
    SAMPLED_COLUMNS("nt_sampled_columns", 1, false,
            "const float* weight, const float* bias, const int* columns, const float* correction, float* out, float* out_bias, "
                    + "int hidden, int songs, int count"),

    /**
     * Lazy Adam with the clip folded in, over one tensor's touched rows: element (j, k) of the compact gradient, at
     * {@code g[j * width + k]} ({@code columns} 0) or {@code g[k * count + j]} ({@code columns} 1), updates parameter
     * {@code index[j] * index_stride + k * width_stride} of {@code p}, {@code m}, {@code v} (pointing at the tensor)
     * exactly as {@link #CLIP_ADAM} does; nothing else changes. Grid-stride loop, any grid and block. Twin: {@code
     * optim.Adam.updateRows} (the same bits for the same norm).
     */
    SPARSE_ADAM("nt_sparse_adam", 1, false,
            "float* p, const float* g, float* m, float* v, const int* index, const double* sum_squares, float max_norm, "
                    + "float alpha_t, float beta1, float beta2, float eps_t, int count, int width, int index_stride, "
                    + "int width_stride, int columns");

    /** The class-path resource holding every kernel, compiled by nvcc (sm_80, sm_90 and PTX); absent without nvcc. */
    public static final String FATBIN_RESOURCE = "/io/nexttrack/engine/gpu/kernels.fatbin";

    /** How a parameter travels through {@code cuLaunchKernel} (and the host launchers). */
    public enum Kind { POINTER, INT, FLOAT, DOUBLE }

    /** One kernel parameter: its C name and C type as declared, e.g. {@code "const float*"}. */
    public record Param(String name, String cType) {
        public Kind kind() {
            if (cType.endsWith("*")) return Kind.POINTER;
            return switch (cType) {
                case "int" -> Kind.INT;
                case "float" -> Kind.FLOAT;
                case "double" -> Kind.DOUBLE;
                default -> throw new IllegalStateException("unsupported kernel parameter type " + cType);
            };
        }

        /** Whether the kernel only reads through this pointer. */
        public boolean readOnly() { return cType.startsWith("const "); }
    }

    private final String cudaName;
    private final int blockMultiple;
    private final boolean singleBlock;
    private final List<Param> params;

    KernelCatalog(String cudaName, int blockMultiple, boolean singleBlock, String declaration) {
        this.cudaName = cudaName;
        this.blockMultiple = blockMultiple;
        this.singleBlock = singleBlock;
        this.params = parse(declaration);
    }

    /** The {@code extern "C"} name, as {@code cuModuleGetFunction} finds it. */
    public String cudaName() { return cudaName; }

    /** The parameters in order. */
    public List<Param> params() { return params; }

    /** Threads per block must be a multiple of this (32 where warp shuffles reduce over whole warps). */
    public int blockMultiple() { return blockMultiple; }

    /** Whether the kernel must run as exactly one block (its reduction has no second pass). */
    public boolean singleBlock() { return singleBlock; }

    /** Throws if a launch of {@code grid} blocks of {@code block} threads breaks this kernel's assumptions. */
    public void checkLaunch(int grid, int block) {
        if (grid < 1) throw new IllegalArgumentException(cudaName + ": grid of " + grid + " blocks");
        if (block < 1 || block > Launch.MAX_BLOCK || block % blockMultiple != 0) {
            throw new IllegalArgumentException(cudaName + ": " + block + " threads per block; needs a multiple of "
                    + blockMultiple + " in [" + blockMultiple + ", " + Launch.MAX_BLOCK + "]");
        }
        if (singleBlock && grid != 1) throw new IllegalArgumentException(cudaName + " runs as one block, not " + grid);
        // nt_top_k halves its block in a tree: 96 threads would pass the check above and lose candidates on the GPU.
        if (this == TOP_K && Integer.bitCount(block) != 1) {
            throw new IllegalArgumentException(cudaName + ": " + block + " threads per block; needs a power of two");
        }
    }

    private static List<Param> parse(String declaration) {
        List<Param> list = new ArrayList<>();
        for (String p : declaration.split(",")) {
            String s = p.trim();
            int cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('*'));
            list.add(new Param(s.substring(cut + 1), s.substring(0, cut + 1).trim()));
        }
        return List.copyOf(list);
    }
}
