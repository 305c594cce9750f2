#pragma once
// Global-norm clipping and Adam over the one flat parameter buffer. Twins of GradientClipping and
// Adam (the CPU classes are the specification: same formulas, same per-step scalars).
// NOT YET RUN ON A GPU: compiled in CI only.

// *sum_squares += sum of g[i]^2 (accumulated in double, as on the CPU). Zero *sum_squares first.
extern "C" __global__ void nt_sum_squares(const float* __restrict__ g, long long n, double* __restrict__ sum_squares) {
  __shared__ double partial[32];
  double s = 0.0;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    double x = g[i];
    s += x * x;
  }
  for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffff, s, o);
  if ((threadIdx.x & 31) == 0) partial[threadIdx.x >> 5] = s;
  __syncthreads();
  if (threadIdx.x < 32) {
    s = threadIdx.x < (blockDim.x >> 5) ? partial[threadIdx.x] : 0.0;
    for (int o = 16; o > 0; o >>= 1) s += __shfl_xor_sync(0xffffffff, s, o);
    if (threadIdx.x == 0) atomicAdd(sum_squares, s);
  }
}

// Clipping folded into Adam: g is scaled by max_norm / norm when norm > max_norm (norm from nt_sum_squares,
// read on the device so the step needs no host synchronisation), then
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  p -= alpha_t m / (sqrt(v) + eps_t)
// with alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t) and eps_t = eps sqrt(1 - beta2^t) computed by the caller.
extern "C" __global__ void nt_clip_adam(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                                        float* __restrict__ v, long long n, const double* __restrict__ sum_squares,
                                        float max_norm, float alpha_t, float beta1, float beta2, float eps_t) {
  double norm = sqrt(*sum_squares);
  float clip = norm > max_norm ? (float)(max_norm / norm) : 1.0f;
  float c1 = 1.0f - beta1, c2 = 1.0f - beta2;
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
    float gi = g[i] * clip;
    float mi = m[i] * beta1 + gi * c1;
    float vi = v[i] * beta2 + gi * gi * c2;
    m[i] = mi;
    v[i] = vi;
    p[i] -= mi * alpha_t / (sqrtf(vi) + eps_t);
  }
}
