#pragma once
// What lets each kernel file compile both with nvcc (the fatbin) and with g++ (the host build that
// JUnit runs, native/host/). Kernels declare shared memory through these macros instead of __shared__
// arrays, so that the host build can give every block its own shared memory.
#ifdef __CUDACC__
#define NT_SHARED(type, name, count) __shared__ type name[count]
#define NT_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
// A launch that breaks a kernel's assumptions (checked first on the Java side, see KernelCatalog.java) stops it.
#define NT_REQUIRE(condition) \
  do {                        \
    if (!(condition)) __trap(); \
  } while (0)
#else
#include "host/cuda_host.h"
#endif
