#pragma once
// Sums and maxima over a block, in a fixed order (so the result depends only on the block size).
// Every thread of the block must call them; blockDim.x must be a multiple of 32 (at most 1024).
#include "portable.cuh"

template <class T>
__device__ T nt_warp_sum(T v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  return v;
}

template <class T>
__device__ T nt_warp_max(T v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
  return v;
}

struct NtWarpSum {
  template <class T>
  __device__ T operator()(T v) const { return nt_warp_sum(v); }
};
struct NtWarpMax {
  template <class T>
  __device__ T operator()(T v) const { return nt_warp_max(v); }
};

// Reduces v over the block with op (NtWarpSum or NtWarpMax) and returns the result to every thread.
// shared: 32 elements of scratch; identity: the value that changes nothing (0 or -infinity).
template <class T, class Op>
__device__ T nt_block_reduce(T v, T* shared, T identity, Op op) {
  v = op(v);
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < (blockDim.x >> 5) ? shared[threadIdx.x] : identity;
  if (warp == 0) v = op(v);
  if (threadIdx.x == 0) shared[0] = v;
  __syncthreads();
  v = shared[0];
  __syncthreads();  // shared is free again for the caller's next reduction
  return v;
}

template <class T>
__device__ T nt_block_sum(T v, T* shared) {
  return nt_block_reduce(v, shared, (T)0, NtWarpSum());
}

__device__ inline float nt_block_max(float v, float* shared) {
  return nt_block_reduce(v, shared, -INFINITY, NtWarpMax());
}

// *out = x[0] + ... + x[n - 1] in double, by exactly one block, in an order fixed by the block size.
template <class T>
__device__ void nt_one_block_sum(const T* __restrict__ x, int n, double* __restrict__ out) {
  NT_REQUIRE(gridDim.x == 1 && blockDim.x % 32 == 0);
  NT_SHARED(double, shared, 32);
  double s = 0.0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) s += x[i];
  s = nt_block_sum(s, shared);
  if (threadIdx.x == 0) *out = s;
}
