#pragma once
// Fused softmax cross-entropy over one block of logit rows, in place: each row of logits becomes
// scale * (softmax - onehot(target)), the gradient of scale * loss; row_loss[r] = -log softmax[target].
// Twin of OutputLayer.softmaxCrossEntropy. Rows whose target is -1 (padding) get zero gradient and loss.
// NOT YET RUN ON A GPU: compiled in CI only.
// Launch: one block of NT_XENT_THREADS threads (a multiple of 32) per row.
#define NT_XENT_THREADS 256

__device__ float nt_block_reduce_max(float v, float* shared) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < (blockDim.x >> 5) ? shared[threadIdx.x] : -INFINITY;
  if (warp == 0)
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
  if (threadIdx.x == 0) shared[0] = v;
  __syncthreads();
  v = shared[0];
  __syncthreads();
  return v;
}

__device__ float nt_block_reduce_sum(float v, float* shared) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < (blockDim.x >> 5) ? shared[threadIdx.x] : 0.0f;
  if (warp == 0)
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  if (threadIdx.x == 0) shared[0] = v;
  __syncthreads();
  v = shared[0];
  __syncthreads();
  return v;
}

extern "C" __global__ void nt_softmax_xent(float* __restrict__ logits, const float* __restrict__ bias,
                                           const int* __restrict__ targets, float* __restrict__ row_loss,
                                           int songs, float scale) {
  __shared__ float shared[32];
  long long row = blockIdx.x;
  float* z = logits + row * songs;
  int target = targets[row];
  if (target < 0) {
    for (int j = threadIdx.x; j < songs; j += blockDim.x) z[j] = 0.0f;
    if (threadIdx.x == 0) row_loss[row] = 0.0f;
    return;
  }
  float mx = -INFINITY;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) {
    float x = z[j] + bias[j];
    z[j] = x;
    mx = fmaxf(mx, x);
  }
  mx = nt_block_reduce_max(mx, shared);
  float zt = z[target];  // written before the reduction's barriers; read by all before anyone overwrites it
  __syncthreads();
  float sum = 0.0f;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) {
    float e = expf(z[j] - mx);  // not __expf: the CPU twin is checked to 1e-4
    z[j] = e;
    sum += e;
  }
  sum = nt_block_reduce_sum(sum, shared);
  if (threadIdx.x == 0) row_loss[row] = mx + logf(sum) - zt;
  float k = scale / sum;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) z[j] *= k;
  __syncthreads();
  if (threadIdx.x == 0) z[target] -= scale;
}
