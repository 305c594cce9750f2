#pragma once
// Elementwise kernels. Twins: Arrays.fill, and the dropout mask products of CpuModel.
#include "portable.cuh"

// out[i] = value for i in [0, n). Grid-stride loop: any grid and block.
extern "C" __global__ void nt_fill(float* __restrict__ out, float value, int n) {
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    out[i] = value;
}

// out[i] = a[i] * b[i] for i in [0, n); out may be a (in place). Grid-stride loop: any grid and block.
extern "C" __global__ void nt_multiply(const float* a, const float* b, float* out, int n) {
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    out[i] = a[i] * b[i];
}
