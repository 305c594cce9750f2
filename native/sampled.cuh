#pragma once
// The sampled loss's output layer: the candidates' columns of the output weights, gathered for the GEMMs.
// Twin: CpuSampledOutputLayer.gatherColumns. The fused softmax cross-entropy over the candidates is
// nt_softmax_xent at width count (targets given as candidate columns), the bias gradient a GEMM with ones (GpuContext.addColumnSums).
#include "portable.cuh"

// out[h, j] = weight[h, columns[j]] for h < hidden, j < count (the candidates' columns of the row-major
// weight [hidden, songs] into out [hidden, count]), and out_bias[j] = bias[columns[j]] + correction[j] (the
// bias with the logQ correction, Candidates.correction). One thread per element of [hidden + 1, count]:
// row `hidden` is the bias. A copy and one float addition per element, so the same bits as the twin.
extern "C" __global__ void nt_sampled_columns(const float* __restrict__ weight, const float* __restrict__ bias,
                                              const int* __restrict__ columns, const float* __restrict__ correction,
                                              float* __restrict__ out, float* __restrict__ out_bias, int hidden,
                                              int songs, int count) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)(hidden + 1) * count) return;
  int h = (int)(i / count), j = (int)(i % count);
  if (h < hidden) {
    out[i] = weight[(long long)h * songs + columns[j]];
  } else {
    out_bias[j] = __fadd_rn(bias[columns[j]], correction[j]);
  }
}
