#pragma once
// Scoring on the device (evaluation and recommendations): log-softmax rows and the top k of selected rows.
// Twins: LogSoftmax.inPlace (after the output bias is added, as CpuOutputLayer.logits does) and TopK.of.
#include "reduce.cuh"

// One block per row of logits [rows, songs]; row r holds position pos = first_position + r, real when
// t < lengths[b] (pos = t * lanes + b). In place, a real row becomes log softmax(logits + bias): max-shifted,
// the exponentials summed in double as the twin does; a padding row is left as it is (never read).
// blockDim.x: a multiple of 32.
extern "C" __global__ void nt_log_softmax(float* __restrict__ logits, const float* __restrict__ bias,
                                          const int* __restrict__ lengths, int first_position, int lanes, int songs) {
  NT_REQUIRE(blockDim.x % 32 == 0);
  NT_SHARED(float, shared_max, 32);
  NT_SHARED(double, shared_sum, 32);
  int pos = first_position + (int)blockIdx.x;
  if (pos / lanes >= lengths[pos % lanes]) return;  // the whole block returns, or none of it
  float* z = logits + (long long)blockIdx.x * songs;
  float mx = -INFINITY;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) {
    float x = z[j] + bias[j];
    z[j] = x;
    mx = fmaxf(mx, x);
  }
  mx = nt_block_max(mx, shared_max);
  double sum = 0.0;
  for (int j = threadIdx.x; j < songs; j += blockDim.x) sum += exp((double)(z[j] - mx));
  sum = nt_block_sum(sum, shared_sum);
  float log_z = (float)(mx + log(sum));
  for (int j = threadIdx.x; j < songs; j += blockDim.x) z[j] -= log_z;
}

// Whether score a at index ia ranks before score b at index ib: higher first, ties to the lower index,
// NaN after every number (as TopK and RankingMetrics).
__device__ inline bool nt_ranks_before(float a, int ia, float b, int ib) {
  bool na = a != a, nb = b != b;
  if (na != nb) return nb;
  if (!na && a != b) return a > b;
  return ia < ib;
}

// For each of the count selected rows (rows[row_index[i]] of [*, songs]), the k best songs in rank order:
// out_songs[i * k + r] and out_scores[i * k + r]. One block per selected row; each of the k rounds finds,
// among the songs that rank after the previous pick, the one that ranks first (O(k * songs) reads: k is
// small for recommendations). blockDim.x: a power of two, at least 32 and at most 1024. k <= songs.
extern "C" __global__ void nt_top_k(const float* __restrict__ rows, const int* __restrict__ row_index,
                                    int* __restrict__ out_songs, float* __restrict__ out_scores, int songs, int k) {
  NT_REQUIRE(blockDim.x % 32 == 0 && (blockDim.x & (blockDim.x - 1)) == 0 && blockDim.x <= 1024);
  NT_SHARED(float, best_score, 1024);
  NT_SHARED(int, best_song, 1024);
  const float* z = rows + (long long)row_index[blockIdx.x] * songs;
  float prev = 0.0f;
  int prev_song = -1;
  for (int r = 0; r < k; r++) {
    float mine = 0.0f;
    int mine_song = -1;
    for (int j = threadIdx.x; j < songs; j += blockDim.x) {
      float x = z[j];
      if (prev_song >= 0 && !nt_ranks_before(prev, prev_song, x, j)) continue;  // already picked
      if (mine_song < 0 || nt_ranks_before(x, j, mine, mine_song)) {
        mine = x;
        mine_song = j;
      }
    }
    best_score[threadIdx.x] = mine;
    best_song[threadIdx.x] = mine_song;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {  // a tree over the block (blockDim a power of two)
      if (threadIdx.x < half) {
        int other = threadIdx.x + half;
        if (best_song[other] >= 0 &&
            (best_song[threadIdx.x] < 0 ||
             nt_ranks_before(best_score[other], best_song[other], best_score[threadIdx.x], best_song[threadIdx.x]))) {
          best_score[threadIdx.x] = best_score[other];
          best_song[threadIdx.x] = best_song[other];
        }
      }
      __syncthreads();
    }
    prev = best_score[0];
    prev_song = best_song[0];
    if (threadIdx.x == 0) {
      out_songs[blockIdx.x * k + r] = prev_song;
      out_scores[blockIdx.x * k + r] = prev;
    }
    __syncthreads();  // everyone has read best_*[0] before the next round overwrites it
  }
}
