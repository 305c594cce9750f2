// libnexttrack_kernels_host: the kernels of native/ compiled by g++ for the CPU, with one extern "C" launcher per
// kernel: host_<kernel>(grid, block, dynamic shared bytes, the kernel's own arguments) -> 0, or 1 for an
// impossible launch. The JUnit tests call these through java.lang.foreign, with signatures derived from
// io.nexttrack.engine.gpu.KernelCatalog; nt_host::launch refuses to compile when a launcher's argument types differ
// from its kernel's.
#include "../kernels.cu"

// A kernel that fails (a trap, a shuffle without its whole warp) stops the process with the reason, as before
// the fiber execution model: the tests that call these have no other way to hear of it.
static int checked(int status) {
  if (status == nt_host::FAILED) nt_host::die(nt_host::failure().c_str());
  return status;
}

#define NT_LAUNCH(kernel, ...) return checked(nt_host::launch(kernel, grid, block, shared, __VA_ARGS__))

extern "C" {
int host_nt_fill(int grid, int block, int shared, float* out, float value, int n) { NT_LAUNCH(nt_fill, out, value, n); }

int host_nt_multiply(int grid, int block, int shared, const float* a, const float* b, float* out, int n) {
  NT_LAUNCH(nt_multiply, a, b, out, n);
}

int host_nt_embedding_gather(int grid, int block, int shared, const int* ids, const int* lengths, const float* table,
                             float* out, int lanes, int positions, int dim) {
  NT_LAUNCH(nt_embedding_gather, ids, lengths, table, out, lanes, positions, dim);
}

int host_nt_embedding_grad(int grid, int block, int shared, const int* songs, const int* offsets, const int* positions,
                           const float* grad_rows, float* grad_table, int count, int dim) {
  NT_LAUNCH(nt_embedding_grad, songs, offsets, positions, grad_rows, grad_table, count, dim);
}

int host_nt_softmax_xent(int grid, int block, int shared, float* logits, const float* bias, const int* targets,
                         const int* lengths, float* row_loss, float scale, int first_position, int lanes, int songs) {
  NT_LAUNCH(nt_softmax_xent, logits, bias, targets, lengths, row_loss, scale, first_position, lanes, songs);
}

int host_nt_loss_sum(int grid, int block, int shared, const float* row_loss, double* loss, int n) {
  NT_LAUNCH(nt_loss_sum, row_loss, loss, n);
}

int host_nt_sum_squares_partial(int grid, int block, int shared, const float* g, double* partials, int n) {
  NT_LAUNCH(nt_sum_squares_partial, g, partials, n);
}

int host_nt_sum_squares_final(int grid, int block, int shared, const double* partials, double* sum_squares, int count) {
  NT_LAUNCH(nt_sum_squares_final, partials, sum_squares, count);
}

int host_nt_clip_adam(int grid, int block, int shared, float* p, const float* g, float* m, float* v,
                      const double* sum_squares, float max_norm, float alpha_t, float beta1, float beta2, float eps_t,
                      int n) {
  NT_LAUNCH(nt_clip_adam, p, g, m, v, sum_squares, max_norm, alpha_t, beta1, beta2, eps_t, n);
}

int host_nt_lstm_forward(int grid, int block, int shared, float* gates, const float* bias, const float* recurrent,
                         const int* lengths, const unsigned char* resets, float* h, float* c, float* h_prev,
                         float* c_prev, float* tanh_c, float* out, int lanes, int steps, int hidden,
                         int lanes_per_block, int recurrent_in_shared) {
  NT_LAUNCH(nt_lstm_forward, gates, bias, recurrent, lengths, resets, h, c, h_prev, c_prev, tanh_c, out, lanes, steps,
            hidden, lanes_per_block, recurrent_in_shared);
}

int host_nt_lstm_backward(int grid, int block, int shared, float* gates, const float* recurrent, const int* lengths,
                          const unsigned char* resets, const float* d_out, const float* c_prev, const float* tanh_c,
                          int lanes, int steps, int hidden, int lanes_per_block, int recurrent_in_shared) {
  NT_LAUNCH(nt_lstm_backward, gates, recurrent, lengths, resets, d_out, c_prev, tanh_c, lanes, steps, hidden,
            lanes_per_block, recurrent_in_shared);
}

int host_nt_log_softmax(int grid, int block, int shared, float* logits, const float* bias, const int* lengths,
                        int first_position, int lanes, int songs) {
  NT_LAUNCH(nt_log_softmax, logits, bias, lengths, first_position, lanes, songs);
}

int host_nt_sampled_columns(int grid, int block, int shared, const float* weight, const float* bias, const int* columns,
                            const float* correction, float* out, float* out_bias, int hidden, int songs, int count) {
  NT_LAUNCH(nt_sampled_columns, weight, bias, columns, correction, out, out_bias, hidden, songs, count);
}

int host_nt_sparse_adam(int grid, int block, int shared, float* p, const float* g, float* m, float* v, const int* index,
                        const double* sum_squares, float max_norm, float alpha_t, float beta1, float beta2, float eps_t,
                        int count, int width, int index_stride, int width_stride, int columns) {
  NT_LAUNCH(nt_sparse_adam, p, g, m, v, index, sum_squares, max_norm, alpha_t, beta1, beta2, eps_t, count, width,
            index_stride, width_stride, columns);
}

int host_nt_top_k(int grid, int block, int shared, const float* rows, const int* row_index, int* out_songs,
                  float* out_scores, int songs, int k) {
  NT_LAUNCH(nt_top_k, rows, row_index, out_songs, out_scores, songs, k);
}
}
