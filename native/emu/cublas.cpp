// libcublas.so.13: handles bound to a stream, Sgemm and Sgeam in FP32 (queued on the handle's stream, run when it
// is waited for), with every operand's extent checked against the device allocation it must lie in.
#include <string>
#include <vector>

#include "emu.h"

using namespace ntemu;

namespace {

enum : int {
  STATUS_SUCCESS = 0,
  STATUS_NOT_INITIALIZED = 1,
  STATUS_INVALID_VALUE = 7,
  STATUS_EXECUTION_FAILED = 13,
  STATUS_NOT_SUPPORTED = 15,
};
enum : int { OP_N = 0, OP_T = 1, OP_C = 2 };
enum : int { POINTER_HOST = 0, POINTER_DEVICE = 1 };

struct Handle {
  Stream* stream = nullptr;  // the default stream until cublasSetStream
  void* stream_handle = nullptr;
  int math_mode = 0;
  int pointer_mode = POINTER_HOST;
};

std::vector<Handle*> handles;
thread_local std::string text;

bool live(Handle* h) {
  for (Handle* x : handles)
    if (x == h) return true;
  return false;
}

int invalid(const std::string& message) { return report(STATUS_INVALID_VALUE, message); }

// A column-major rows x cols matrix with leading dimension ld at p lies inside one device allocation.
bool operand(const char* call, const char* name, const float* p, int rows, int cols, int ld, std::string* why) {
  if (rows == 0 || cols == 0) return true;
  size_t bytes = ((size_t)(cols - 1) * (size_t)ld + (size_t)rows) * sizeof(float);
  std::string where;
  if (inside(Kind::DEVICE, p, bytes, &where)) return true;
  *why = std::string(call) + ": " + name + " (" + std::to_string(rows) + " x " + std::to_string(cols) + ", ld " + std::to_string(ld) +
         ", " + std::to_string(bytes) + " bytes) is " + where;
  return false;
}

// alpha and beta: read now in host pointer mode (cuBLAS reads host scalars before it returns), from the device
// when the queued work runs in device pointer mode (checked now that they lie in device memory).
bool scalar(const Handle* h, const char* call, const char* name, const float* p, std::string* why) {
  if (p == nullptr) {
    *why = std::string(call) + ": " + name + " is null";
    return false;
  }
  if (h->pointer_mode == POINTER_DEVICE) {
    std::string where;
    if (!inside(Kind::DEVICE, p, sizeof(float), &where)) {
      *why = std::string(call) + ": " + name + " (device pointer mode) is " + where;
      return false;
    }
  }
  return true;
}

const char* blas_status_string(int status) {
  switch (status) {
    case STATUS_SUCCESS: return "the operation completed successfully";
    case STATUS_NOT_INITIALIZED: return "the library was not initialized";
    case STATUS_INVALID_VALUE: return "an unsupported value or parameter was passed to the function";
    case STATUS_EXECUTION_FAILED: return "the GPU program failed to execute";
    case STATUS_NOT_SUPPORTED: return "the functionality requested is not supported";
    default: return "unknown error";
  }
}

const char* blas_status_name(int status) {
  switch (status) {
    case STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "CUBLAS_STATUS_UNKNOWN";
  }
}

// A fault of the queued stream (e.g. an earlier kernel's) surfaces as an execution failure.
int queued(Handle* h, const std::string& what, Work work) {
  int e = enqueue(h->stream, what, std::move(work));
  return e == SUCCESS ? STATUS_SUCCESS : STATUS_EXECUTION_FAILED;
}

Fault zones(const std::string& what) {
  std::string z = check_red_zones(what.c_str());
  return z.empty() ? Fault{} : Fault{ILLEGAL_ADDRESS, z};
}

}  // namespace

extern "C" {

int cublasCreate_v2(Handle** out) {
  Guard g;
  make_primary_current();
  if (out == nullptr) return invalid("cublasCreate: a null handle pointer");
  Stream* s;
  resolve_stream(nullptr, &s);
  auto* h = new Handle();
  h->stream = s;
  handles.push_back(h);
  *out = h;
  return STATUS_SUCCESS;
}

int cublasDestroy_v2(Handle* h) {
  Guard g;
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasDestroy: not a live handle (destroyed twice?)");
  stream_synchronize(h->stream);
  for (size_t i = 0; i < handles.size(); i++)
    if (handles[i] == h) handles.erase(handles.begin() + (long)i);
  delete h;
  return STATUS_SUCCESS;
}

int cublasSetStream_v2(Handle* h, void* stream) {
  Guard g;
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasSetStream: not a live handle");
  Stream* s;
  if (resolve_stream(stream, &s) != SUCCESS) return invalid("cublasSetStream: not a live stream");
  h->stream = s;
  h->stream_handle = stream;
  return STATUS_SUCCESS;
}

int cublasGetStream_v2(Handle* h, void** stream) {
  Guard g;
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasGetStream: not a live handle");
  *stream = h->stream_handle;
  return STATUS_SUCCESS;
}

int cublasSetMathMode(Handle* h, int mode) {
  Guard g;
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasSetMathMode: not a live handle");
  // Every mode computes in FP32 here; a TF32 mode would round inputs to 10 mantissa bits on a GPU, which the
  // emulation does not: refused, so that nobody mistakes its results for TF32's.
  if ((mode & 0xf) == 1 || (mode & 0xf) == 3) return not_emulated("cublasSetMathMode with a tensor-op (TF32) mode", STATUS_NOT_SUPPORTED);
  h->math_mode = mode;
  return STATUS_SUCCESS;
}

int cublasGetMathMode(Handle* h, int* mode) {
  Guard g;
  if (!live(h)) return STATUS_NOT_INITIALIZED;
  *mode = h->math_mode;
  return STATUS_SUCCESS;
}

int cublasSetPointerMode_v2(Handle* h, int mode) {
  Guard g;
  if (!live(h)) return STATUS_NOT_INITIALIZED;
  if (mode != POINTER_HOST && mode != POINTER_DEVICE) return invalid("cublasSetPointerMode: mode " + std::to_string(mode));
  h->pointer_mode = mode;
  return STATUS_SUCCESS;
}

int cublasGetPointerMode_v2(Handle* h, int* mode) {
  Guard g;
  if (!live(h)) return STATUS_NOT_INITIALIZED;
  *mode = h->pointer_mode;
  return STATUS_SUCCESS;
}

int cublasGetVersion_v2(Handle* h, int* version) {
  (void)h;
  *version = 130100;
  return STATUS_SUCCESS;
}

// C = alpha op(A) op(B) + beta C (column-major; op(A) m x k, op(B) k x n, C m x n).
int cublasSgemm_v2(Handle* h, int transa, int transb, int m, int n, int k, const float* alpha, const float* a, int lda,
                   const float* b, int ldb, const float* beta, float* c, int ldc) {
  Guard g;
  const char* call = "cublasSgemm";
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasSgemm: not a live handle");
  bool ta = transa != OP_N, tb = transb != OP_N;
  if (transa < OP_N || transa > OP_C || transb < OP_N || transb > OP_C) return invalid("cublasSgemm: an unknown operation");
  if (m < 0 || n < 0 || k < 0) return invalid("cublasSgemm: a negative size");
  if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m)) {
    return invalid("cublasSgemm: a leading dimension below its matrix's rows (m " + std::to_string(m) + ", n " + std::to_string(n) +
                   ", k " + std::to_string(k) + ", lda " + std::to_string(lda) + ", ldb " + std::to_string(ldb) + ", ldc " +
                   std::to_string(ldc) + ")");
  }
  if (m == 0 || n == 0) return STATUS_SUCCESS;
  std::string why;
  if (!scalar(h, call, "alpha", alpha, &why) || !scalar(h, call, "beta", beta, &why)) return invalid(why);
  bool device_scalars = h->pointer_mode == POINTER_DEVICE;
  float al = device_scalars ? 0 : *alpha, be = device_scalars ? 0 : *beta;
  bool reads_ab = k > 0 && (device_scalars || al != 0);
  if (reads_ab && (!operand(call, "A", a, ta ? k : m, ta ? m : k, lda, &why) || !operand(call, "B", b, tb ? n : k, tb ? k : n, ldb, &why))) {
    return report(STATUS_INVALID_VALUE, why);
  }
  if (!operand(call, "C", c, m, n, ldc, &why)) return report(STATUS_INVALID_VALUE, why);
  std::string what = std::string(call) + "(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ", m " + std::to_string(m) + ", n " +
                     std::to_string(n) + ", k " + std::to_string(k) + ")";
  return queued(h, what, [=]() -> Fault {
    float x = device_scalars ? *alpha : al, y = device_scalars ? *beta : be;
    sgemm(ta, tb, m, n, k, x, a, lda, b, ldb, y, c, ldc);
    return zones(what);
  });
}

int cublasSgemm(Handle* h, int transa, int transb, int m, int n, int k, const float* alpha, const float* a, int lda, const float* b,
                int ldb, const float* beta, float* c, int ldc) {
  return cublasSgemm_v2(h, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// C = alpha op(A) + beta op(B) (m x n). In place only where cuBLAS allows it: C == A with op(A) = N and ldc == lda,
// or C == B likewise.
int cublasSgeam(Handle* h, int transa, int transb, int m, int n, const float* alpha, const float* a, int lda, const float* beta,
                const float* b, int ldb, float* c, int ldc) {
  Guard g;
  const char* call = "cublasSgeam";
  if (!live(h)) return report(STATUS_NOT_INITIALIZED, "cublasSgeam: not a live handle");
  bool ta = transa != OP_N, tb = transb != OP_N;
  if (m < 0 || n < 0) return invalid("cublasSgeam: a negative size");
  if (lda < std::max(1, ta ? n : m) || ldb < std::max(1, tb ? n : m) || ldc < std::max(1, m)) {
    return invalid("cublasSgeam: a leading dimension below its matrix's rows");
  }
  if ((c == a && (ta || lda != ldc)) || (c == b && (tb || ldb != ldc))) {
    return invalid("cublasSgeam: in place only with op N and the same leading dimension");
  }
  if (m == 0 || n == 0) return STATUS_SUCCESS;
  std::string why;
  if (!scalar(h, call, "alpha", alpha, &why) || !scalar(h, call, "beta", beta, &why)) return invalid(why);
  bool device_scalars = h->pointer_mode == POINTER_DEVICE;
  float al = device_scalars ? 0 : *alpha, be = device_scalars ? 0 : *beta;
  if ((device_scalars || al != 0) && !operand(call, "A", a, ta ? n : m, ta ? m : n, lda, &why)) return report(STATUS_INVALID_VALUE, why);
  if ((device_scalars || be != 0) && !operand(call, "B", b, tb ? n : m, tb ? m : n, ldb, &why)) return report(STATUS_INVALID_VALUE, why);
  if (!operand(call, "C", c, m, n, ldc, &why)) return report(STATUS_INVALID_VALUE, why);
  std::string what = std::string(call) + "(" + (ta ? "T" : "N") + (tb ? "T" : "N") + ", m " + std::to_string(m) + ", n " +
                     std::to_string(n) + ")";
  return queued(h, what, [=]() -> Fault {
    float x = device_scalars ? *alpha : al, y = device_scalars ? *beta : be;
    std::vector<float> out((size_t)m * n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float u = x == 0 ? 0 : x * (ta ? a[j + (long long)i * lda] : a[i + (long long)j * lda]);
        float v = y == 0 ? 0 : y * (tb ? b[j + (long long)i * ldb] : b[i + (long long)j * ldb]);
        out[(size_t)j * m + i] = u + v;
      }
    }
    for (int j = 0; j < n; j++)
      for (int i = 0; i < m; i++) c[i + (long long)j * ldc] = out[(size_t)j * m + i];
    return zones(what);
  });
}

const char* cublasGetStatusString(int status) {
  text = std::string(blas_status_string(status)) + take_detail();
  return text.c_str();
}

const char* cublasGetStatusName(int status) { return blas_status_name(status); }

}  // extern "C"
