#pragma once
// The smallest useful kernel: sets n floats to a value. It exercises the whole chain
// (CMake + nvcc -> fatbin resource -> cuModuleLoadData -> cuLaunchKernel) in CI and on the GPU.
extern "C" __global__ void nt_fill(float* __restrict__ out, float value, long long n) {
  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  long long stride = (long long)gridDim.x * blockDim.x;
  for (; i < n; i += stride) out[i] = value;
}
