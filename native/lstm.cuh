#pragma once
// One LSTM layer over a time-major chunk on the lanes layout (position pos = t * lanes + b), with resets
// inside the chunk. Twin: LstmLayer (same weight layout: W [in + H, 4H], gate column blocks i, f, g, o;
// the recurrent block R = rows [in, in + H) of W; bias [4H]). Lanes are independent: each block owns
// lanes_per_block lanes for all steps, so no grid-wide synchronisation is needed.
//
// Forward, around nt_lstm_forward:  gates = X . W[0, in)  (one GEMM for all steps, by the caller), then the
// kernel. Backward, around nt_lstm_backward:  the kernel, then dW[0, in) += X^T . dG, dW[in, in + H) +=
// h_prev^T . dG, db += column sums of dG (nt_column_sums), dX = dG . W[0, in)^T (GEMMs, by the caller).
//
// Shared memory (dynamic): R (4H x H floats) when recurrent_in_shared, else R is read from global memory,
// plus 6 H floats per lane of the block; Launch.lstm computes the size and chooses.
#include "portable.cuh"

// In: gates [positions, 4H] = X . W[0, in) (without bias); h, c [lanes, H] the state carried in.
// Out: gates = the activated gates (i, f, g, o), h_prev/c_prev [positions, H] = the state each step
// started from, tanh_c [positions, H], out [positions, H] = h (zeros at padding), h, c = the state at the
// end of the chunk. Before a real step whose reset flag is set, h and c are zeroed; a padding step
// (t >= lengths[b]) leaves the state alone.
extern "C" __global__ void nt_lstm_forward(float* __restrict__ gates, const float* __restrict__ bias,
                                           const float* __restrict__ recurrent, const int* __restrict__ lengths,
                                           const unsigned char* __restrict__ resets, float* __restrict__ h,
                                           float* __restrict__ c, float* __restrict__ h_prev,
                                           float* __restrict__ c_prev, float* __restrict__ tanh_c,
                                           float* __restrict__ out, int lanes, int steps, int hidden,
                                           int lanes_per_block, int recurrent_in_shared) {
  NT_REQUIRE(false);  // contract only: the body comes next
}

// In: gates = the activated gates saved by nt_lstm_forward, d_out [positions, H] = the gradient w.r.t. out,
// c_prev and tanh_c as saved. Out: gates = the gradient w.r.t. the gates' pre-activations (zeros at
// padding). Backpropagation runs through time within the chunk only: no gradient flows into the state
// carried in, nor past a reset (as LstmLayer).
extern "C" __global__ void nt_lstm_backward(float* __restrict__ gates, const float* __restrict__ recurrent,
                                            const int* __restrict__ lengths, const unsigned char* __restrict__ resets,
                                            const float* __restrict__ d_out, const float* __restrict__ c_prev,
                                            const float* __restrict__ tanh_c, int lanes, int steps, int hidden,
                                            int lanes_per_block, int recurrent_in_shared) {
  NT_REQUIRE(false);  // contract only: the body comes next
}
