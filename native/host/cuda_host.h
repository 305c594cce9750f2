#pragma once
// The CUDA built-ins our kernels use, for g++ (C++20): the host build runs the kernel sources unchanged on the
// CPU, so that JUnit checks them against their Java twins where there is no GPU (see native/README.md), and the
// CUDA emulation (native/emu/) runs them behind cuLaunchKernel.
//
// A launch runs the grid's blocks one after another. Within a block, two execution models:
//  - fibers (the default): the block's CUDA threads are fibers on one OS thread, each with its own stack,
//    switched only where CUDA threads meet (__syncthreads, a warp shuffle, the end of the kernel). Released
//    waiters resume in arrival order, then in reverse at the next release, so that a missing barrier shows
//    whichever way the dependency runs. Fast: a switch is a few nanoseconds. The CUDA emulation also runs a
//    grid's blocks on several OS threads at once (parallel_for).
//  - threads (NT_HOST_THREADS, the ThreadSanitizer build): each CUDA thread is an OS thread, __syncthreads() a
//    real barrier, so that ThreadSanitizer sees the kernels' memory accesses race where a barrier is missing.
// In both, a warp shuffle is an exchange among the 32 threads of a warp (refused unless all 32 take part),
// shared memory belongs to the block and starts as NaN bytes each block (so reading what nobody wrote shows),
// and a thread that returns no longer counts at barriers, as on a GPU. What this cannot show: races between
// blocks, GPU rounding, speed.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <vector>
#ifndef NT_HOST_THREADS
#include <sys/mman.h>
#endif

#define __global__
#define __device__
#define __restrict__ __restrict

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};

inline thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace nt_host {

// Launch status: 0 done, 1 impossible launch (nothing ran), 2 the kernel failed (a trap, a shuffle without the
// whole warp, threads waiting at different barriers); failure() says why.
enum { LAUNCHED = 0, IMPOSSIBLE = 1, FAILED = 2 };

inline thread_local std::string failure_message;
inline const std::string& failure() { return failure_message; }

// Bytes of static shared memory (NT_SHARED) the last launch on this thread used, most over its blocks: the
// emulation adds it to the dynamic bytes to check the launch against the device's limit.
inline thread_local size_t static_shared_used = 0;

[[noreturn]] inline void die(const char* what) {
  std::fprintf(stderr, "nexttrack host kernels: %s\n", what);
  std::fflush(stderr);
  std::abort();
}

struct Block {
  static constexpr size_t kStaticShared = 16 * 1024;  // for NT_SHARED; CUDA allows 48 KiB
  std::vector<unsigned char> shared;                  // static part, then the launch's dynamic bytes
};

#ifdef NT_HOST_THREADS
// ---------------------------------------------------------------------------------------------------------
// Threads: one OS thread per CUDA thread.

[[noreturn]] inline void fail(const char* what) { die(what); }

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

struct ThreadedBlock : Block {
  Barrier sync;  // __syncthreads
  Barrier done;  // end of block: everyone out before the next block starts
  std::vector<Warp> warps;
};

struct Thread {
  ThreadedBlock* block = nullptr;
  Warp* warp = nullptr;
  int lane = 0;
  unsigned shuffles = 0;
  size_t static_used = 0;
};

inline thread_local Thread self;
inline Thread& me() { return self; }

inline void begin_block(ThreadedBlock& b) {
  std::memset(b.shared.data(), 0xff, b.shared.size());  // NaN as float, -1 as int: unwritten reads show
  int threads = (int)blockDim.x;
  b.sync.reset(threads);
  for (size_t w = 0; w < b.warps.size(); w++) b.warps[w].barrier.reset(std::min(32, threads - 32 * (int)w));
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

inline void sync_threads() { self.block->sync.arrive_and_wait(); }

template <class... P, class... A>
  requires(std::is_same_v<P, A> && ...)
int launch(void (*kernel)(P...), int grid, int block, int shared_bytes, A... args) {
  if (grid < 1 || block < 1 || block > 1024 || shared_bytes < 0) return IMPOSSIBLE;
  ThreadedBlock b;
  b.warps = std::vector<Warp>((block + 31) / 32);
  b.shared.resize(Block::kStaticShared + shared_bytes);
  b.done.reset(block);
  gridDim = dim3{(unsigned)grid};
  blockDim = dim3{(unsigned)block};
  begin_block(b);
  std::atomic<size_t> most_static{0};
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
        size_t seen = most_static.load();
        while (self.static_used > seen && !most_static.compare_exchange_weak(seen, self.static_used)) {}
        self.warp->barrier.leave();
        b.sync.leave();
        b.done.arrive_and_wait([&](int) { begin_block(b); });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  static_shared_used = most_static.load();
  return LAUNCHED;
}

#else
// ---------------------------------------------------------------------------------------------------------
// Fibers: the block's CUDA threads take turns on one OS thread. A fiber that must wait (a barrier, a shuffle)
// switches straight to the next ready fiber; the last to arrive releases the others into the ready queue and goes
// on. Blocks are independent: a launch may run them on several OS threads at once (parallel_blocks), each with
// its own fibers and shared memory.

#if defined(__x86_64__)
// Saves the callee-saved registers on the current stack, stores the stack pointer in *from, and resumes the
// context whose stack pointer is to (System V AMD64). MXCSR and the x87 control word are not switched: no kernel
// changes them, so every fiber runs with those of the launching thread.
extern "C" void nt_host_switch(void** from, void* to);
asm(R"(
  .text
  .p2align 4
  .globl nt_host_switch
  .hidden nt_host_switch
  .type nt_host_switch, @function
nt_host_switch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size nt_host_switch, .-nt_host_switch
  .section .note.GNU-stack,"",@progbits
  .text
)");
#else
#error "the fiber execution model needs x86-64 (build with -DNT_HOST_THREADS elsewhere)"
#endif

struct Fiber;

struct Warp {
  int live = 0, arrived = 0;
  int waiting[32];
  unsigned char slot[2][32][8] = {};  // two sets, alternating per shuffle, so a set is reused only after a barrier
};

struct Thread {
  Warp* warp = nullptr;
  int lane = 0;
  unsigned shuffles = 0;
  size_t static_used = 0;
};

struct Fiber {
  void* sp = nullptr;
  unsigned index = 0;
  Thread thread;
};

// One block's run on this OS thread: the fibers, their barriers, and how to run the kernel in a fiber.
struct Run : Block {
  void* scheduler_sp = nullptr;
  std::vector<Fiber> fibers;
  std::vector<Warp> warps;
  std::vector<int> ready;         // a ring of fiber indices, its size a power of two
  size_t ready_head = 0, ready_count = 0, ready_mask = 0;
  std::vector<int> sync_waiting;  // at __syncthreads, in arrival order
  int live = 0;
  unsigned releases = 0;          // alternates the order in which released fibers resume
  Fiber* current = nullptr;
  void (*body)(void*) = nullptr;  // calls the kernel with the launch's arguments
  void* args = nullptr;
  bool failed = false;
  size_t most_static = 0;                        // static shared bytes used by any fiber so far
  size_t static_dirty = Block::kStaticShared;    // static shared bytes to refill before the next block
};

inline thread_local Run* run = nullptr;
inline Thread& me() { return run->current->thread; }

// Fiber stacks, made once per OS thread and reused: 64 KiB each (the kernels need little; signal handlers that
// land on a fiber need some) above a guard page.
class Stacks {
 public:
  static constexpr size_t kSize = 64 * 1024, kGuard = 4096;
  ~Stacks() {
    if (base_) munmap(base_, count_ * (kSize + kGuard));
  }
  // Stack tops 68 KiB apart would all fall into the same cache sets: each is moved down by a different multiple
  // of 64 bytes (cache-line colouring), which makes a switch several times cheaper.
  char* top(int i) { return base_ + (size_t)i * (kSize + kGuard) + kGuard + kSize - (size_t)(i * 17 % 64) * 64; }
  bool reserve(int n) {
    if (n <= count_) return true;
    if (base_) munmap(base_, count_ * (kSize + kGuard));
    base_ = nullptr;
    count_ = 0;
    size_t bytes = (size_t)n * (kSize + kGuard);
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    base_ = (char*)p;
    count_ = n;
    for (int i = 0; i < n; i++) mprotect(base_ + (size_t)i * (kSize + kGuard), kGuard, PROT_NONE);
    return true;
  }

 private:
  char* base_ = nullptr;
  int count_ = 0;
};

inline thread_local Stacks stacks;

inline void make_ready(Run& r, int i) {
  r.ready[(r.ready_head + r.ready_count++) & r.ready_mask] = i;
}

// Leaves the current fiber (it is waiting or done) for the next ready one, or for the scheduler when none is.
inline void switch_away() {
  Run& r = *run;
  Fiber* from = r.current;
  if (r.ready_count > 0) {
    Fiber& next = r.fibers[r.ready[r.ready_head]];
    r.ready_head = (r.ready_head + 1) & r.ready_mask;
    r.ready_count--;
    r.current = &next;
    threadIdx = dim3{next.index};
    nt_host_switch(&from->sp, next.sp);
  } else {
    nt_host_switch(&from->sp, r.scheduler_sp);
  }
}

// A kernel failure inside a fiber: the block (and launch) is abandoned; the fibers' stacks are simply dropped
// (kernel code holds no resources). Outside a launch it is fatal, as before.
[[noreturn]] inline void fail(const char* what) {
  if (run == nullptr || run->current == nullptr) die(what);
  failure_message = what;
  run->failed = true;
  nt_host_switch(&run->current->sp, run->scheduler_sp);
  die("a failed fiber was resumed");
}

// Waiters resume in arrival order after one release and in reverse after the next, so that a missing barrier
// shows whichever way the dependency runs.
inline void release(Run& r, const int* waiting, int n) {
  if (r.releases++ & 1)
    for (int i = n - 1; i >= 0; i--) make_ready(r, waiting[i]);
  else
    for (int i = 0; i < n; i++) make_ready(r, waiting[i]);
}

inline void release_sync(Run& r) {
  release(r, r.sync_waiting.data(), (int)r.sync_waiting.size());
  r.sync_waiting.clear();
}

inline void release_warp(Run& r, Warp& w) {
  if (w.arrived != 32) fail("warp shuffle without all 32 lanes (a block not a multiple of 32, or a lane returned)");
  release(r, w.waiting, 31);
  w.arrived = 0;
}

inline void sync_threads() {
  Run& r = *run;
  if ((int)r.sync_waiting.size() + 1 == r.live) {
    release_sync(r);  // the last to arrive goes on at once, the others after it
  } else {
    r.sync_waiting.push_back((int)r.current->index);
    switch_away();
  }
}

template <class T>
T shuffle_xor(T v, int lane_mask) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>);
  Run& r = *run;
  Thread& t = me();
  Warp& w = *t.warp;
  int set = t.shuffles++ & 1;
  std::memcpy(w.slot[set][t.lane], &v, sizeof(T));
  if (w.arrived + 1 == w.live) {
    w.arrived++;
    release_warp(r, w);
  } else {
    w.waiting[w.arrived++] = (int)r.current->index;
    switch_away();
  }
  T out;
  std::memcpy(&out, w.slot[set][t.lane ^ lane_mask], sizeof(T));
  return out;
}

// Where every fiber starts (entered by nt_host_switch's ret, never returns): runs the kernel, then leaves the
// block's barriers as a returned thread does on a GPU.
[[noreturn]] inline void fiber_main() {
  Run& r = *run;
  r.body(r.args);
  Fiber& f = *r.current;
  r.most_static = std::max(r.most_static, f.thread.static_used);
  r.live--;
  Warp& w = *f.thread.warp;
  w.live--;
  if (w.arrived > 0 && w.arrived == w.live) {
    if (w.arrived != 32) fail("warp shuffle without all 32 lanes (a block not a multiple of 32, or a lane returned)");
  }
  if (!r.sync_waiting.empty() && (int)r.sync_waiting.size() == r.live) release_sync(r);
  switch_away();
  die("a finished fiber was resumed");
}

// A fresh context on fiber i's stack that starts in fiber_main: 16-byte aligned top, below it the return address
// (so that fiber_main starts as if called), then six callee-saved registers.
inline void* fresh_context(int i) {
  auto* top = (uint64_t*)stacks.top(i);
  uint64_t* sp = top - 2;
  *sp = (uint64_t)(void*)&fiber_main;
  sp -= 6;
  for (int k = 0; k < 6; k++) sp[k] = 0;
  return sp;
}

// Runs one block to its end, or to a failure (returns false).
inline bool run_block(Run& r, int threads) {
  // NaN as float, -1 as int: unwritten reads show. Of the static part only what earlier blocks used (NT_SHARED):
  // the rest still holds the first block's 0xff, since nobody wrote there.
  std::memset(r.shared.data(), 0xff, r.static_dirty);
  std::memset(r.shared.data() + Block::kStaticShared, 0xff, r.shared.size() - Block::kStaticShared);
  r.live = threads;
  r.sync_waiting.clear();
  r.releases = 0;
  for (size_t w = 0; w < r.warps.size(); w++) {
    r.warps[w].live = std::min(32, threads - 32 * (int)w);
    r.warps[w].arrived = 0;
  }
  r.ready_head = 0;
  r.ready_count = 0;
  for (int i = 0; i < threads; i++) {
    Fiber& f = r.fibers[i];
    f.sp = fresh_context(i);
    f.thread = Thread{&r.warps[i / 32], i % 32, 0, 0};
    make_ready(r, i);
  }
  // The scheduler only starts the first fiber and comes back when none is ready: all done, a failure, or a
  // deadlock (threads waiting at different barriers).
  r.current = &r.fibers[r.ready[0]];
  r.ready_head = 1;
  r.ready_count--;
  threadIdx = dim3{r.current->index};
  nt_host_switch(&r.scheduler_sp, r.current->sp);
  r.current = nullptr;
  r.static_dirty = std::max(r.most_static, (size_t)1);
  if (r.failed) return false;
  if (r.live > 0) {
    failure_message = "the block's threads wait at different barriers (a __syncthreads or a shuffle not reached by all)";
    return false;
  }
  return true;
}

template <class... A>
struct Bound {
  void (*kernel)(A...);
  std::tuple<A...> args;
  static void call(void* self) {
    auto* b = static_cast<Bound*>(self);
    std::apply(b->kernel, b->args);
  }
};

// Runs job(worker) for worker = 0 .. workers - 1 at once (worker 0 on the calling thread) and returns when all
// are done. Set by the CUDA emulation; without it blocks run one after another on the calling thread.
using ParallelFor = void (*)(void (*job)(void*, int), void* context);
inline ParallelFor parallel_for = nullptr;
inline int parallel_workers = 1;

struct Grid {
  void (*body)(void*) = nullptr;
  void* args = nullptr;
  int grid = 0, block = 0, shared_bytes = 0;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::atomic<size_t> most_static{0};
  std::string failure{};
  std::atomic<int> failure_taken{0};
};

// One OS thread's share of the grid: blocks taken in turn until none is left or one failed.
inline void run_blocks(void* context, int worker) {
  auto& g = *static_cast<Grid*>(context);
  if (!stacks.reserve(g.block)) {
    if (g.failure_taken.exchange(1) == 0) g.failure = "no memory for the block's fiber stacks";
    g.failed = true;
    return;
  }
  Run r;
  r.shared.resize(Block::kStaticShared + g.shared_bytes);
  r.fibers.resize(g.block);
  for (int i = 0; i < g.block; i++) r.fibers[i].index = (unsigned)i;
  r.warps.resize((g.block + 31) / 32);
  r.ready.resize(std::bit_ceil((unsigned)g.block));
  r.ready_mask = r.ready.size() - 1;
  r.sync_waiting.reserve(g.block);
  r.body = g.body;
  r.args = g.args;
  gridDim = dim3{(unsigned)g.grid};
  blockDim = dim3{(unsigned)g.block};
  run = &r;
  for (int b; !g.failed && (b = g.next.fetch_add(1)) < g.grid;) {
    blockIdx = dim3{(unsigned)b};
    if (!run_block(r, g.block)) {
      if (g.failure_taken.exchange(1) == 0) g.failure = failure_message;
      g.failed = true;
    }
  }
  run = nullptr;
  threadIdx = blockIdx = dim3{};
  size_t seen = g.most_static.load();
  while (r.most_static > seen && !g.most_static.compare_exchange_weak(seen, r.most_static)) {}
  (void)worker;
}

template <class... P, class... A>
  requires(std::is_same_v<P, A> && ...)
int launch(void (*kernel)(P...), int grid, int block, int shared_bytes, A... args) {
  if (grid < 1 || block < 1 || block > 1024 || shared_bytes < 0) return IMPOSSIBLE;
  if (run != nullptr) die("a launch inside a launch");
  Bound<P...> bound{kernel, std::tuple<P...>(args...)};
  Grid g;
  g.body = &Bound<P...>::call;
  g.args = &bound;
  g.grid = grid;
  g.block = block;
  g.shared_bytes = shared_bytes;
  if (parallel_for != nullptr && parallel_workers > 1 && grid > 1)
    parallel_for(&run_blocks, &g);
  else
    run_blocks(&g, 0);
  static_shared_used = g.most_static.load();
  if (g.failed) {
    failure_message = g.failure;
    return FAILED;
  }
  return LAUNCHED;
}
#endif

template <class T>
T* static_shared(int count) {
  Thread& t = me();
  size_t at = (t.static_used + 15) & ~size_t(15);
  t.static_used = at + sizeof(T) * count;
  if (t.static_used > Block::kStaticShared) fail("static shared memory over 16 KiB");
#ifdef NT_HOST_THREADS
  return reinterpret_cast<T*>(t.block->shared.data() + at);
#else
  return reinterpret_cast<T*>(run->shared.data() + at);
#endif
}

template <class T>
T* dynamic_shared() {
#ifdef NT_HOST_THREADS
  return reinterpret_cast<T*>(me().block->shared.data() + Block::kStaticShared);
#else
  return reinterpret_cast<T*>(run->shared.data() + Block::kStaticShared);
#endif
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

inline void __syncthreads() { nt_host::sync_threads(); }

inline int min(int a, int b) { return a < b ? a : b; }

// Each operation rounded on its own, as on the GPU (the library is built with -ffp-contract=off).
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
