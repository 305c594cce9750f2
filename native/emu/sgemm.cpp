// cuBLAS's SGEMM on the CPU, FP32 throughout (as cuBLAS with CUBLAS_DEFAULT_MATH: FP32 products and sums, here
// with fused multiply-adds where the CPU has them, as the GPU has): C = alpha op(A) op(B) + beta C, column-major,
// BLAS semantics (beta == 0: C is not read, so the NaN that fills fresh device memory does not leak in).
// Blocked and packed in the usual way (a 16 x 6 register tile, panels of 256 along k); the columns of C are
// split among a few worker threads. Speed matters only in that the GPU tests must finish in CI.
#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "emu.h"

namespace ntemu {

namespace {

constexpr int MR = 16, NR = 6, KC = 256, MC = 128, NC = 1536;

typedef float v8 __attribute__((vector_size(32)));

struct Op {
  bool ta, tb;
  int m, n, k;
  float alpha;
  const float* a;
  int lda;
  const float* b;
  int ldb;
  float* c;
  int ldc;
  float opa(int i, int p) const { return ta ? a[p + (long long)i * lda] : a[i + (long long)p * lda]; }
  float opb(int p, int j) const { return tb ? b[j + (long long)p * ldb] : b[p + (long long)j * ldb]; }
};

// Rows [i0, i0 + mc) x depth [p0, p0 + kc) of op(A), as MR-row micro-panels (p-major inside), zero-padded.
void pack_a(const Op& o, int i0, int mc, int p0, int kc, float* out) {
  for (int ir = 0; ir < mc; ir += MR) {
    float* panel = out + (long long)ir * kc;
    int rows = std::min(MR, mc - ir);
    if (!o.ta) {
      for (int p = 0; p < kc; p++) {
        const float* col = o.a + (long long)(p0 + p) * o.lda + i0 + ir;
        float* dst = panel + p * MR;
        int i = 0;
        for (; i < rows; i++) dst[i] = col[i];
        for (; i < MR; i++) dst[i] = 0;
      }
    } else {
      for (int i = 0; i < MR; i++) {
        if (i < rows) {
          const float* row = o.a + (long long)(i0 + ir + i) * o.lda + p0;
          for (int p = 0; p < kc; p++) panel[p * MR + i] = row[p];
        } else {
          for (int p = 0; p < kc; p++) panel[p * MR + i] = 0;
        }
      }
    }
  }
}

// Depth [p0, p0 + kc) x columns [j0, j0 + nc) of op(B), as NR-column micro-panels (p-major inside), zero-padded.
void pack_b(const Op& o, int p0, int kc, int j0, int nc, float* out) {
  for (int jr = 0; jr < nc; jr += NR) {
    float* panel = out + (long long)jr * kc;
    int cols = std::min(NR, nc - jr);
    for (int j = 0; j < NR; j++) {
      if (j >= cols) {
        for (int p = 0; p < kc; p++) panel[p * NR + j] = 0;
      } else if (!o.tb) {
        const float* col = o.b + (long long)(j0 + jr + j) * o.ldb + p0;
        for (int p = 0; p < kc; p++) panel[p * NR + j] = col[p];
      } else {
        for (int p = 0; p < kc; p++) panel[p * NR + j] = o.b[(j0 + jr + j) + (long long)(p0 + p) * o.ldb];
      }
    }
  }
}

// C[0..rows, 0..cols) += alpha * (packed A panel) . (packed B panel) over kc.
__attribute__((always_inline)) inline void tile(int kc, const float* a, const float* b, float* c, int ldc, float alpha, int rows,
                                                int cols) {
  v8 acc[NR][2] = {};
  for (int p = 0; p < kc; p++) {
    v8 a0, a1;
    std::memcpy(&a0, a + p * MR, 32);
    std::memcpy(&a1, a + p * MR + 8, 32);
    const float* bp = b + p * NR;
    for (int j = 0; j < NR; j++) {
      acc[j][0] += a0 * bp[j];
      acc[j][1] += a1 * bp[j];
    }
  }
  float out[NR][MR];
  for (int j = 0; j < NR; j++) {
    std::memcpy(out[j], &acc[j][0], 32);
    std::memcpy(out[j] + 8, &acc[j][1], 32);
  }
  for (int j = 0; j < cols; j++) {
    float* cj = c + (long long)j * ldc;
    for (int i = 0; i < rows; i++) cj[i] += alpha * out[j][i];
  }
}

__attribute__((target("avx2,fma"))) void tiles_avx2(int kc, int mc, int nc, const float* ap, const float* bp, float* c, int ldc,
                                                    float alpha) {
  for (int jr = 0; jr < nc; jr += NR)
    for (int ir = 0; ir < mc; ir += MR)
      tile(kc, ap + (long long)ir * kc, bp + (long long)jr * kc, c + ir + (long long)jr * ldc, ldc, alpha, std::min(MR, mc - ir),
           std::min(NR, nc - jr));
}

void tiles_generic(int kc, int mc, int nc, const float* ap, const float* bp, float* c, int ldc, float alpha) {
  for (int jr = 0; jr < nc; jr += NR)
    for (int ir = 0; ir < mc; ir += MR)
      tile(kc, ap + (long long)ir * kc, bp + (long long)jr * kc, c + ir + (long long)jr * ldc, ldc, alpha, std::min(MR, mc - ir),
           std::min(NR, nc - jr));
}

const bool kAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");

// C[:, j0 .. j1) += alpha op(A) op(B)[:, j0 .. j1)
void columns(const Op& o, int j0, int j1) {
  thread_local std::vector<float> apack, bpack;
  apack.resize((size_t)MC * KC);
  bpack.resize((size_t)KC * (NC + NR));
  for (int jc = j0; jc < j1; jc += NC) {
    int nc = std::min(NC, j1 - jc);
    for (int pc = 0; pc < o.k; pc += KC) {
      int kc = std::min(KC, o.k - pc);
      pack_b(o, pc, kc, jc, nc, bpack.data());
      for (int ic = 0; ic < o.m; ic += MC) {
        int mc = std::min(MC, o.m - ic);
        pack_a(o, ic, mc, pc, kc, apack.data());
        float* c = o.c + ic + (long long)jc * o.ldc;
        if (kAvx2)
          tiles_avx2(kc, mc, nc, apack.data(), bpack.data(), c, o.ldc, o.alpha);
        else
          tiles_generic(kc, mc, nc, apack.data(), bpack.data(), c, o.ldc, o.alpha);
      }
    }
  }
}

// A few workers for the column ranges (NTEMU_THREADS, else the machine's cores, at most 8).
class Pool {
 public:
  Pool() {
    const char* env = std::getenv("NTEMU_THREADS");
    int n = env ? std::atoi(env) : (int)std::thread::hardware_concurrency();
    size_ = std::clamp(n, 1, 8);
    for (int i = 1; i < size_; i++) workers_.emplace_back([this, i] { loop(i); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  int size() const { return size_; }
  // Runs job(0) .. job(size - 1), job(0) on the caller; returns when all are done.
  void run(const std::function<void(int)>& job) {
    {
      std::lock_guard<std::mutex> g(m_);
      job_ = &job;
      pending_ = size_ - 1;
      generation_++;
    }
    cv_.notify_all();
    job(0);
    std::unique_lock<std::mutex> g(m_);
    done_.wait(g, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void loop(int index) {
    unsigned long seen = 0;
    for (;;) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> g(m_);
        cv_.wait(g, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = job_;
      }
      (*job)(index);
      std::lock_guard<std::mutex> g(m_);
      if (--pending_ == 0) done_.notify_one();
    }
  }
  int size_;
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable cv_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int pending_ = 0;
  unsigned long generation_ = 0;
  bool stop_ = false;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers may outlive static destruction order at JVM exit
  return *p;
}

}  // namespace

int workers() { return pool().size(); }

void parallel(const std::function<void(int)>& job) { pool().run(job); }

void sgemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb, float beta,
           float* c, int ldc) {
  if (m == 0 || n == 0) return;
  for (int j = 0; j < n; j++) {
    float* cj = c + (long long)j * ldc;
    if (beta == 0.0f)
      std::fill(cj, cj + m, 0.0f);
    else if (beta != 1.0f)
      for (int i = 0; i < m; i++) cj[i] *= beta;
  }
  if (alpha == 0.0f || k == 0) return;
  Op o{ta, tb, m, n, k, alpha, a, lda, b, ldb, c, ldc};
  int threads = (double)m * n * k < 4e6 ? 1 : std::min(pool().size(), (n + NR - 1) / NR);
  if (threads <= 1) {
    columns(o, 0, n);
    return;
  }
  int panels = (n + NR - 1) / NR;
  pool().run([&](int t) {
    if (t >= threads) return;
    int from = (int)((long long)panels * t / threads) * NR, to = std::min(n, (int)((long long)panels * (t + 1) / threads) * NR);
    if (from < to) columns(o, from, to);
  });
}

}  // namespace ntemu
