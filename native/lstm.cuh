#pragma once
// One LSTM layer over a time-major chunk on the lanes layout (position pos = t * lanes + b), with resets
// inside the chunk. Twin: CpuLstmLayer (same weight layout: W [in + H, 4H], gate column blocks i, f, g, o;
// the recurrent block R = rows [in, in + H) of W; bias [4H]). Lanes are independent: each block owns
// lanes_per_block lanes for all steps, so no grid-wide synchronisation is needed.
//
// Forward, around nt_lstm_forward:  gates = X . W[0, in)  (one GEMM for all steps, by the caller), then the
// kernel. Backward, around nt_lstm_backward:  the kernel, then dW[0, in) += X^T . dG, dW[in, in + H) +=
// h_prev^T . dG, db += column sums of dG (a GEMM with ones), dX = dG . W[0, in)^T (GEMMs, by the caller).
//
// Shared memory (dynamic): R (4H x H floats) when recurrent_in_shared, else R is read from global memory,
// plus 6 H floats per lane of the block forward, 9 H backward; Launch.lstm computes the size and chooses.
#include "portable.cuh"

// In: gates [positions, 4H] = X . W[0, in) (without bias); h, c [lanes, H] the state carried in.
// Out: gates = the activated gates (i, f, g, o), h_prev/c_prev [positions, H] = the state each step
// started from, tanh_c [positions, H], out [positions, H] = h (zeros at padding), h, c = the state at the
// end of the chunk. Before a real step whose reset flag is set, h and c are zeroed; a padding step
// (t >= lengths[b]) leaves the state alone. Any block size; two barriers per step.
extern "C" __global__ void nt_lstm_forward(float* __restrict__ gates, const float* __restrict__ bias,
                                           const float* __restrict__ recurrent, const int* __restrict__ lengths,
                                           const unsigned char* __restrict__ resets, float* __restrict__ h,
                                           float* __restrict__ c, float* __restrict__ h_prev,
                                           float* __restrict__ c_prev, float* __restrict__ tanh_c,
                                           float* __restrict__ out, int lanes, int steps, int hidden,
                                           int lanes_per_block, int recurrent_in_shared) {
  const int H = hidden, G = 4 * hidden;
  const int first = (int)blockIdx.x * lanes_per_block;
  const int n = min(lanes_per_block, lanes - first);  // lanes of this block
  NT_DYNAMIC_SHARED(float, smem);
  float* r_shared = smem;
  float* hs = smem + (recurrent_in_shared ? (long long)G * H : 0);  // [lanes_per_block, H] each
  float* cs = hs + lanes_per_block * H;
  float* act = cs + lanes_per_block * H;  // [lanes_per_block, 4H]: this step's activated gates
  const float* R = recurrent_in_shared ? r_shared : recurrent;
  if (recurrent_in_shared)
    for (int i = threadIdx.x; i < G * H; i += blockDim.x) r_shared[i] = recurrent[i];
  for (int i = threadIdx.x; i < n * H; i += blockDim.x) {
    hs[i] = h[(long long)first * H + i];
    cs[i] = c[(long long)first * H + i];
  }
  for (int t = 0; t < steps; t++) {
    // Each thread owns the same (lane, unit) elements of hs and cs here and in the cell update below.
    for (int i = threadIdx.x; i < n * H; i += blockDim.x) {
      int b = first + i / H;
      long long pos = (long long)t * lanes + b, at = pos * H + i % H;
      if (t < lengths[b] && resets[pos]) {
        hs[i] = 0.0f;
        cs[i] = 0.0f;
      }
      h_prev[at] = hs[i];
      c_prev[at] = cs[i];
    }
    __syncthreads();  // the loaded R and every lane's h are visible; last step's act is no longer read
    for (int i = threadIdx.x; i < n * G; i += blockDim.x) {
      int l = i / G, col = i % G, b = first + l;
      if (t >= lengths[b]) continue;
      long long at = ((long long)t * lanes + b) * G + col;
      const float* hl = hs + l * H;
      float z = gates[at] + bias[col];
      for (int k = 0; k < H; k++) z += hl[k] * R[(long long)k * G + col];
      float a = col >= 2 * H && col < 3 * H ? tanhf(z) : 1.0f / (1.0f + expf(-z));
      act[l * G + col] = a;
      gates[at] = a;
    }
    __syncthreads();  // act is complete; nobody reads hs any more this step
    for (int i = threadIdx.x; i < n * H; i += blockDim.x) {
      int l = i / H, j = i % H, b = first + l;
      long long at = ((long long)t * lanes + b) * H + j;
      if (t >= lengths[b]) {
        out[at] = 0.0f;
        continue;
      }
      const float* a = act + l * G;
      float cell = a[H + j] * cs[i] + a[j] * a[2 * H + j];
      float tc = tanhf(cell);
      float hn = a[3 * H + j] * tc;
      cs[i] = cell;
      hs[i] = hn;
      tanh_c[at] = tc;
      out[at] = hn;
    }
  }
  for (int i = threadIdx.x; i < n * H; i += blockDim.x) {
    h[(long long)first * H + i] = hs[i];
    c[(long long)first * H + i] = cs[i];
  }
}

// In: gates = the activated gates saved by nt_lstm_forward, d_out [positions, H] = the gradient w.r.t. out,
// c_prev and tanh_c as saved. Out: gates = the gradient w.r.t. the gates' pre-activations (zeros at
// padding). Backpropagation runs through time within the chunk only: no gradient flows into the state
// carried in, nor past a reset (as CpuLstmLayer). Any block size; two barriers per step.
//
// dh_prev = dG . R^T is the step's critical path: a dot product of 4H terms for each of H units. It is split by
// gate: 4H threads each add the H terms of one gate (a quarter of the chain), and the next step's cell phase adds
// the four partial sums, so a block of 4H threads is busy in both phases (one thread per unit would leave three
// quarters idle and run a chain four times as long).
extern "C" __global__ void nt_lstm_backward(float* __restrict__ gates, const float* __restrict__ recurrent,
                                            const int* __restrict__ lengths, const unsigned char* __restrict__ resets,
                                            const float* __restrict__ d_out, const float* __restrict__ c_prev,
                                            const float* __restrict__ tanh_c, int lanes, int steps, int hidden,
                                            int lanes_per_block, int recurrent_in_shared) {
  const int H = hidden, G = 4 * hidden;
  const int first = (int)blockIdx.x * lanes_per_block;
  const int n = min(lanes_per_block, lanes - first);
  NT_DYNAMIC_SHARED(float, smem);
  float* rt = smem;  // R transposed, [4H, H], so that the threads of dh_prev read consecutive addresses
  float* dg = smem + (recurrent_in_shared ? (long long)G * H : 0);  // [lanes_per_block, 4H]
  float* part = dg + lanes_per_block * G;  // [lanes_per_block, 4, H]: dL/dh from step t + 1, one sum per gate
  float* dc = part + lanes_per_block * G;  // [lanes_per_block, H]: dL/dc from step t + 1
  if (recurrent_in_shared)
    for (int i = threadIdx.x; i < G * H; i += blockDim.x) rt[(long long)(i % G) * H + i / G] = recurrent[i];
  for (int i = threadIdx.x; i < n * G; i += blockDim.x) part[i] = 0.0f;
  for (int i = threadIdx.x; i < n * H; i += blockDim.x) dc[i] = 0.0f;
  __syncthreads();  // the cell phase reads partial sums that other threads zeroed
  for (int t = steps - 1; t >= 0; t--) {
    // The cell: each thread owns the same (lane, unit) elements of dc here and in every step.
    for (int i = threadIdx.x; i < n * H; i += blockDim.x) {
      int l = i / H, j = i % H, b = first + l;
      long long pos = (long long)t * lanes + b, at = pos * H + j;
      float* g = gates + pos * G;
      float* d = dg + l * G;
      if (t >= lengths[b]) {
        for (int q = 0; q < 4; q++) d[q * H + j] = g[q * H + j] = 0.0f;
        continue;
      }
      const float* p = part + l * G;
      float dh_next = (p[j] + p[H + j]) + (p[2 * H + j] + p[3 * H + j]);
      float ig = g[j], fg = g[H + j], gg = g[2 * H + j], og = g[3 * H + j], tc = tanh_c[at];
      float dhv = d_out[at] + dh_next;
      float dcv = dhv * og * (1.0f - tc * tc) + dc[i];
      float di = dcv * gg * ig * (1.0f - ig);
      float df = dcv * c_prev[at] * fg * (1.0f - fg);
      float dgg = dcv * ig * (1.0f - gg * gg);
      float dov = dhv * tc * og * (1.0f - og);
      d[j] = g[j] = di;
      d[H + j] = g[H + j] = df;
      d[2 * H + j] = g[2 * H + j] = dgg;
      d[3 * H + j] = g[3 * H + j] = dov;
      dc[i] = resets[pos] ? 0.0f : dcv * fg;  // the state before a reset was replaced by zeros
    }
    __syncthreads();  // dg complete (and the transposed R loaded); every partial sum of step t + 1 read
    // dh_prev = dG . R^T by gate q: part[l, q, k] = sum over the gate's columns, nothing past a reset.
    for (int i = threadIdx.x; i < n * G; i += blockDim.x) {
      int l = i / G, q = (i % G) / H, k = i % H, b = first + l;
      const float* d = dg + l * G + q * H;
      float s = 0.0f;
      if (recurrent_in_shared) {
        const float* r = rt + (long long)q * H * H + k;
        for (int col = 0; col < H; col++) s += d[col] * r[(long long)col * H];
      } else {
        const float* r = recurrent + (long long)k * G + q * H;
        for (int col = 0; col < H; col++) s += d[col] * r[col];
      }
      part[i] = resets[(long long)t * lanes + b] ? 0.0f : s;
    }
    __syncthreads();  // the partial sums are complete; dg is read by all before the next step overwrites it
  }
}
