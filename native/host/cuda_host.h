#pragma once
// The CUDA built-ins our kernels use, for g++ (C++20): the host build runs the kernel sources unchanged on the
// CPU, so that JUnit checks them against their Java twins where there is no GPU (see native/README.md).
//
// A launch runs the grid's blocks one after another. Each block's threads are real threads: __syncthreads()
// is a barrier over the block, a warp shuffle an exchange among the 32 threads of a warp, and shared memory
// belongs to the block (and starts as NaN bytes each block, so reading what nobody wrote shows). What this
// cannot show: races between blocks, GPU rounding, shared-memory limits, speed.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <type_traits>
#include <vector>

#define __global__
#define __device__
#define __restrict__ __restrict

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};

inline thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace nt_host {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "nexttrack host kernels: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

// A reusable barrier for a group of threads that may leave it (a thread that returns from the kernel no
// longer counts, as on a GPU); on_release(threads that arrived) runs once per phase, in the last thread to
// arrive, before any goes on. One atomic word holds (expected << 32 | arrived), so that arriving and leaving
// cannot miss each other; waiting is a futex wait on the phase (C++20 atomic wait), which ThreadSanitizer
// understands as acquire/release.
class Barrier {
 public:
  void reset(int n) {
    state_.store((uint64_t)n << 32, std::memory_order_relaxed);  // only while no thread uses the barrier
  }
  template <class F>
  void arrive_and_wait(F on_release) {
    uint32_t phase = phase_.load(std::memory_order_acquire);
    uint64_t s = state_.fetch_add(1, std::memory_order_acq_rel) + 1;
    if (arrived(s) == expected(s)) {
      on_release((int)arrived(s));
      release(s);
    } else {
      while (phase_.load(std::memory_order_acquire) == phase) phase_.wait(phase, std::memory_order_acquire);
    }
  }
  void arrive_and_wait() {
    arrive_and_wait([](int) {});
  }
  void leave() {
    uint64_t s = state_.fetch_sub((uint64_t)1 << 32, std::memory_order_acq_rel) - ((uint64_t)1 << 32);
    if (arrived(s) > 0 && arrived(s) == expected(s)) release(s);
  }

 private:
  static uint32_t arrived(uint64_t s) { return (uint32_t)s; }
  static uint32_t expected(uint64_t s) { return (uint32_t)(s >> 32); }
  // Everyone still counted is waiting here, so nobody else touches state_ until the phase moves on.
  void release(uint64_t s) {
    state_.store(s & ~(uint64_t)0xffffffff, std::memory_order_relaxed);
    phase_.fetch_add(1, std::memory_order_release);
    phase_.notify_all();
  }
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> phase_{0};
};

struct Warp {
  Barrier barrier;
  unsigned char slot[2][32][8] = {};  // two sets, alternating per shuffle, so a set is reused only after a barrier
};

struct Block {
  static constexpr size_t kStaticShared = 16 * 1024;  // for NT_SHARED; CUDA allows 48 KiB
  Barrier sync;                                         // __syncthreads
  Barrier done;                                         // end of block: everyone out before the next block starts
  std::vector<Warp> warps;
  std::vector<unsigned char> shared;                    // static part, then the launch's dynamic bytes
};

struct Thread {
  Block* block = nullptr;
  Warp* warp = nullptr;
  int lane = 0;
  unsigned shuffles = 0;
  size_t static_used = 0;
};

inline thread_local Thread self;

inline void begin_block(Block& b) {
  std::memset(b.shared.data(), 0xff, b.shared.size());  // NaN as float, -1 as int: unwritten reads show
  int threads = (int)blockDim.x;
  b.sync.reset(threads);
  for (size_t w = 0; w < b.warps.size(); w++) b.warps[w].barrier.reset(std::min(32, threads - 32 * (int)w));
}

template <class T>
T* static_shared(int count) {
  size_t at = (self.static_used + 15) & ~size_t(15);
  self.static_used = at + sizeof(T) * count;
  if (self.static_used > Block::kStaticShared) fail("static shared memory over 16 KiB");
  return reinterpret_cast<T*>(self.block->shared.data() + at);
}

template <class T>
T* dynamic_shared() {
  return reinterpret_cast<T*>(self.block->shared.data() + Block::kStaticShared);
}

template <class T>
T shuffle_xor(T v, int lane_mask) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>);
  Warp& w = *self.warp;
  int set = self.shuffles++ & 1;
  std::memcpy(w.slot[set][self.lane], &v, sizeof(T));
  // A full-mask shuffle needs all 32 lanes, as on a GPU (where anything else is undefined).
  w.barrier.arrive_and_wait([](int lanes) {
    if (lanes != 32) fail("warp shuffle without all 32 lanes (a block not a multiple of 32, or a lane returned)");
  });
  T r;
  std::memcpy(&r, w.slot[set][self.lane ^ lane_mask], sizeof(T));
  return r;
}

// Runs kernel<<<grid, block, shared_bytes>>>(args...) on the CPU and returns 0, or 1 for an impossible launch.
// The argument types must be exactly the kernel's (the launchers are checked against the kernels here).
template <class... P, class... A>
  requires(std::is_same_v<P, A> && ...)
int launch(void (*kernel)(P...), int grid, int block, int shared_bytes, A... args) {
  if (grid < 1 || block < 1 || block > 1024 || shared_bytes < 0) return 1;
  Block b;
  b.warps = std::vector<Warp>((block + 31) / 32);
  b.shared.resize(Block::kStaticShared + shared_bytes);
  b.done.reset(block);
  gridDim = dim3{(unsigned)grid};
  blockDim = dim3{(unsigned)block};
  begin_block(b);
  std::vector<std::thread> threads;
  threads.reserve(block);
  for (int t = 0; t < block; t++) {
    threads.emplace_back([&, t] {
      gridDim = dim3{(unsigned)grid};
      blockDim = dim3{(unsigned)block};
      threadIdx = dim3{(unsigned)t};
      self = Thread{&b, &b.warps[t / 32], t % 32, 0, 0};
      for (int g = 0; g < grid; g++) {
        blockIdx = dim3{(unsigned)g};
        self.shuffles = 0;
        self.static_used = 0;
        kernel(args...);
        self.warp->barrier.leave();
        b.sync.leave();
        b.done.arrive_and_wait([&](int) { begin_block(b); });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return 0;
}

}  // namespace nt_host

#define NT_SHARED(type, name, count) type* name = nt_host::static_shared<type>(count)
#define NT_DYNAMIC_SHARED(type, name) type* name = nt_host::dynamic_shared<type>()
#define NT_REQUIRE(condition) \
  do {                        \
    if (!(condition)) nt_host::fail("kernel requirement failed: " #condition); \
  } while (0)

template <class T>
T __shfl_xor_sync(unsigned, T v, int lane_mask) {
  return nt_host::shuffle_xor(v, lane_mask);
}

inline void __syncthreads() { nt_host::self.block->sync.arrive_and_wait(); }

inline int min(int a, int b) { return a < b ? a : b; }

// Each operation rounded on its own, as on the GPU (the library is built with -ffp-contract=off).
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
