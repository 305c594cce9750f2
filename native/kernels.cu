// The one translation unit nvcc turns into kernels.fatbin. Each kernel family lives in its own .cuh so
// that it reads on its own; all kernels are extern "C" so the driver API finds them by name. The same
// files compile with g++ into the host build (native/host/), which the JUnit tests run on the CPU.
#include "fill.cuh"
#include "embedding.cuh"
#include "softmax_xent.cuh"
#include "optim.cuh"
#include "lstm.cuh"
#include "scoring.cuh"
#include "sampled.cuh"
