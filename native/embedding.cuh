#pragma once
// Embedding rows in and out of the LSTM. Twin of CpuEngine's gather and scatterEmbeddingGradient.
// NOT YET RUN ON A GPU: compiled in CI only; the GPU engine that calls these is still to be written.

// out[r, :] = table[ids[r], :] for r in [0, rows): one thread per element.
extern "C" __global__ void nt_embedding_gather(const int* __restrict__ ids, const float* __restrict__ table,
                                               float* __restrict__ out, int rows, int dim) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)rows * dim) return;
  int r = (int)(i / dim), j = (int)(i % dim);
  out[i] = table[(long long)ids[r] * dim + j];
}

// grad_table[ids[r], :] += grad_out[r, :] for rows whose weight is non-zero (padding has weight 0).
// Songs repeat within a batch, so the adds are atomic.
extern "C" __global__ void nt_embedding_scatter_add(const int* __restrict__ ids, const float* __restrict__ weight,
                                                    const float* __restrict__ grad_out, float* __restrict__ grad_table,
                                                    int rows, int dim) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)rows * dim) return;
  int r = (int)(i / dim), j = (int)(i % dim);
  if (weight[r] == 0.0f) return;
  atomicAdd(&grad_table[(long long)ids[r] * dim + j], grad_out[i]);
}
