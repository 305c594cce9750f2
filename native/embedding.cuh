#pragma once
// Embedding rows in and out of the LSTM. Twins: CpuModel's gather into layer 0 and its
// scatterEmbeddingGradient. A position pos = t * lanes + b is real when t < lengths[b].
#include "portable.cuh"

// out[pos, :] = table[ids[pos], :] at real positions, zeros at padding (whose ids are never read).
// One thread per element of out [positions, dim].
extern "C" __global__ void nt_embedding_gather(const int* __restrict__ ids, const int* __restrict__ lengths,
                                               const float* __restrict__ table, float* __restrict__ out, int lanes,
                                               int positions, int dim) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)positions * dim) return;
  int pos = (int)(i / dim), j = (int)(i % dim);
  out[i] = pos / lanes < lengths[pos % lanes] ? table[(long long)ids[pos] * dim + j] : 0.0f;
}

// The embedding gradient without atomics, so that it is the same on every run: the host groups the real
// positions of the chunk by song (PositionsBySong: songs[k], and its positions[offsets[k] .. offsets[k+1])
// in ascending order), and one thread per (k, j) adds song k's rows in that order:
//   grad_table[songs[k], j] += grad_rows[positions[q], j] for q = offsets[k], offsets[k] + 1, ...
// which is exactly the CPU's order of additions. One thread per element of [count, dim].
extern "C" __global__ void nt_embedding_grad(const int* __restrict__ songs, const int* __restrict__ offsets,
                                             const int* __restrict__ positions, const float* __restrict__ grad_rows,
                                             float* __restrict__ grad_table, int count, int dim) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= (long long)count * dim) return;
  int k = (int)(i / dim), j = (int)(i % dim);
  float* dst = grad_table + (long long)songs[k] * dim + j;
  float sum = *dst;
  for (int q = offsets[k]; q < offsets[k + 1]; q++) sum += grad_rows[(long long)positions[q] * dim + j];
  *dst = sum;
}
