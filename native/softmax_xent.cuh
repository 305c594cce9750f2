#pragma once
// The output layer's fused softmax cross-entropy and loss sum.
// Twins: CpuOutputLayer.softmaxCrossEntropy and the double sum in CpuOutputLayer.loss. (The bias gradients are a
// GEMM with a vector of ones: GpuContext.addColumnSums.)
#include "reduce.cuh"

// One block per row of logits [rows, songs]; row r holds position pos = first_position + r (time-major,
// pos = t * lanes + b), which is real when t < lengths[b]. In place, a real row becomes
// scale * (softmax(logits + bias) - onehot(targets[pos])), the gradient of scale * its loss, and
// row_loss[pos] = -log softmax(logits + bias)[targets[pos]]; a padding row becomes zeros with row_loss 0.
// blockDim.x: a multiple of 32 (block reductions). Targets of real positions must be in [0, songs)
// (checked on the host: Batch.checkSongs).
extern "C" __global__ void nt_softmax_xent(float* __restrict__ logits, const float* __restrict__ bias,
                                           const int* __restrict__ targets, const int* __restrict__ lengths,
                                           float* __restrict__ row_loss, float scale, int first_position, int lanes,
                                           int songs) {
  NT_REQUIRE(blockDim.x % 32 == 0);
  NT_SHARED(float, shared, 32);
  int pos = first_position + (int)blockIdx.x;
  float* z = logits + (long long)blockIdx.x * songs;
  if (pos / lanes >= lengths[pos % lanes]) {  // the whole block takes this branch, or none of it
    for (int j = threadIdx.x; j < songs; j += blockDim.x) z[j] = 0.0f;
    if (threadIdx.x == 0) row_loss[pos] = 0.0f;
    return;
  }
  int target = targets[pos];
  float mx = -INFINITY;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) {
    float x = z[j] + bias[j];
    z[j] = x;
    mx = fmaxf(mx, x);
  }
  mx = nt_block_max(mx, shared);   // its barriers also make every z[j] + bias[j] visible to the block
  float zt = z[target];
  __syncthreads();                 // everyone has read z[target] before it is overwritten
  float sum = 0.0f;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) {
    float e = expf(z[j] - mx);     // not __expf (fast, a few ulp worse): the CPU twin is matched closely
    z[j] = e;
    sum += e;
  }
  sum = nt_block_sum(sum, shared);
  if (threadIdx.x == 0) row_loss[pos] = mx + logf(sum) - zt;
  float k = scale / sum;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) z[j] *= k;
  __syncthreads();                 // the target's softmax value is scaled before the one-hot is taken off
  if (threadIdx.x == 0) z[target] -= scale;
}

// *loss = row_loss[0] + ... + row_loss[n - 1] in double, in an order fixed by the block size alone.
// Exactly one block; blockDim.x a multiple of 32.
extern "C" __global__ void nt_loss_sum(const float* __restrict__ row_loss, double* __restrict__ loss, int n) {
  nt_one_block_sum(row_loss, n, loss);
}
