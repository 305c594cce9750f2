/**
 * Internal: no compatibility promise. The ground floor of the arithmetic, which every layer above may use and which
 * uses nothing else of nexttrack: {@link io.nexttrack.numeric.InnerLoops}, the CPU's inner loops on the Vector API or
 * their plain-Java twins (chosen once per process by {@link io.nexttrack.numeric.InnerLoopsChoice}), the one GEMM
 * ({@link io.nexttrack.numeric.MatMul}), {@link io.nexttrack.numeric.LogSoftmax} and
 * {@link io.nexttrack.numeric.TopK}. The CPU engine, the optimiser, ranking, the playlist neighbours and
 * recommendations all call them; the GPU's CUDA kernels ({@code native/}) are their twins, checked against them.
 */
package io.nexttrack.numeric;
