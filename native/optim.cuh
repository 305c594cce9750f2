#pragma once
// Global-norm clipping and Adam over the one flat parameter buffer. Twins: GradientClipping and Adam
// (the CPU classes are the specification: same formulas, same per-step constants from Adam.nextStep).
#include "reduce.cuh"

// First pass of the sum of squares: partials[blockIdx.x] = the sum of g[i]^2 (in double) over the
// block's share of a grid-stride loop. No buffer needs zeroing, and for a fixed grid and block the
// result is the same on every run. blockDim.x a multiple of 32; gridDim.x partials.
extern "C" __global__ void nt_sum_squares_partial(const float* __restrict__ g, double* __restrict__ partials, int n) {
  NT_REQUIRE(blockDim.x % 32 == 0);
  NT_SHARED(double, shared, 32);
  double s = 0.0;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    double x = g[i];
    s += x * x;
  }
  s = nt_block_sum(s, shared);
  if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

// Second pass: *sum_squares = partials[0] + ... + partials[count - 1]. Exactly one block; blockDim.x a
// multiple of 32.
extern "C" __global__ void nt_sum_squares_final(const double* __restrict__ partials, double* __restrict__ sum_squares,
                                                int count) {
  nt_one_block_sum(partials, count, sum_squares);
}

// Adam's update of one parameter from its (clipped) gradient gi, every operation rounded on its own (__fmul_rn
// and friends), as Java does: nvcc would otherwise contract a * b + c into one FMA and drift from the CPU.
__device__ inline void nt_adam_element(float* p, float* m, float* v, float gi, float alpha_t, float beta1,
                                                float beta2, float eps_t) {
  float mi = __fadd_rn(__fmul_rn(*m, beta1), __fmul_rn(gi, 1.0f - beta1));
  float vi = __fadd_rn(__fmul_rn(*v, beta2), __fmul_rn(__fmul_rn(gi, gi), 1.0f - beta2));
  *m = mi;
  *v = vi;
  *p = __fsub_rn(*p, __fdiv_rn(__fmul_rn(mi, alpha_t), __fadd_rn(__fsqrt_rn(vi), eps_t)));
}

// Clipping folded into Adam. norm = sqrt(*sum_squares) (from the two passes above, read on the device so
// the step needs no host synchronisation); g is scaled by max_norm / norm when norm > max_norm, then
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  p -= alpha_t m / (sqrt(v) + eps_t)
// with alpha_t and eps_t from Adam.nextStep(). Every operation is rounded on its own (__fmul_rn and
// friends), as Java does: nvcc would otherwise contract a * b + c into one FMA and drift from the CPU.
// Grid-stride loop: any grid and block.
extern "C" __global__ void nt_clip_adam(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                                        float* __restrict__ v, const double* __restrict__ sum_squares, float max_norm,
                                        float alpha_t, float beta1, float beta2, float eps_t, int n) {
  double norm = sqrt(*sum_squares);
  float clip = norm > max_norm ? (float)(max_norm / norm) : 1.0f;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    float gi = __fmul_rn(g[i], clip);
    nt_adam_element(p + i, m + i, v + i, gi, alpha_t, beta1, beta2, eps_t);
  }
}

// Lazy Adam with the clip folded in, over the touched rows of one tensor (Adam.update(float[], SparseGradient);
// twin: Adam.updateRows): the same per-weight arithmetic as nt_clip_adam, for element (j, k) of the compact
// gradient g, j < count its j-th touched row, k < width, which is the gradient of
//   p[index[j] * index_stride + k * width_stride]   (p, m and v point at the tensor's first parameter)
// and sits at g[j * width + k] (columns == 0: an embedding's rows) or at g[k * count + j] (columns != 0: the
// columns of the output weights [H, V], or of the bias with width 1). Either way thread e reads g[e]: the
// compact gradient is walked in memory order. The indices of one launch must be distinct (each parameter is
// updated by one thread). Parameters that are not listed are not touched at all (their moments are not decayed).
// Grid-stride loop: any grid and block.
extern "C" __global__ void nt_sparse_adam(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                                          float* __restrict__ v, const int* __restrict__ index,
                                          const double* __restrict__ sum_squares, float max_norm, float alpha_t,
                                          float beta1, float beta2, float eps_t, int count, int width,
                                          int index_stride, int width_stride, int columns) {
  double norm = sqrt(*sum_squares);
  float clip = norm > max_norm ? (float)(max_norm / norm) : 1.0f;
  long long n = (long long)count * width;
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < n; e += (long long)gridDim.x * blockDim.x) {
    int j = columns ? (int)(e % count) : (int)(e / width);
    int k = columns ? (int)(e / count) : (int)(e % width);
    long long i = (long long)index[j] * index_stride + (long long)k * width_stride;
    float gi = __fmul_rn(g[e], clip);
    nt_adam_element(p + i, m + i, v + i, gi, alpha_t, beta1, beta2, eps_t);
  }
}
