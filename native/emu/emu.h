#pragma once
// The CUDA emulation's core (libnexttrack_cudaemu.so), shared by the stand-in libraries: libcuda.so.1 (driver
// API), libcudart.so.13 (runtime API), libcublas.so.13 (cuBLAS) and the cuDNN stand-ins. Only the names in
// namespace ntemu are exported (emu.map); everything else in the core is local, and every stand-in is linked
// with -Bsymbolic and a version script, so that no symbol of ours binds to a namesake elsewhere in the JVM
// (libjvm.so exports a function called `events`, for one) or the other way round. See native/emu/README.md.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ntemu {

// Status codes: the runtime's cudaError_t and the driver's CUresult agree on every one used here.
enum Status : int {
  SUCCESS = 0,
  INVALID_VALUE = 1,
  OUT_OF_MEMORY = 2,
  NOT_INITIALIZED = 3,
  INVALID_CONFIGURATION = 9,        // runtime only (cudaErrorInvalidConfiguration)
  INVALID_PITCH = 12,               // runtime only
  INVALID_MEMCPY_DIRECTION = 21,    // runtime only
  NO_DEVICE = 100,
  INVALID_DEVICE = 101,
  INVALID_IMAGE = 200,
  INVALID_CONTEXT = 201,            // driver: no current context
  INVALID_HANDLE = 400,
  NOT_FOUND = 500,
  NOT_READY = 600,
  ILLEGAL_ADDRESS = 700,
  LAUNCH_OUT_OF_RESOURCES = 701,
  MISALIGNED_ADDRESS = 716,
  LAUNCH_FAILED = 719,
  NOT_SUPPORTED = 801,
};

// ---- Reporting ------------------------------------------------------------------------------------------
// Prints "nexttrack CUDA emulation: <message>" on stderr and keeps it as this thread's detail, which the next
// error-string call (cudaGetErrorString, cuGetErrorString, cublasGetStatusString) appends, so that the
// engine's exception carries it. Returns status.
int report(int status, const std::string& message);
// This thread's detail, then cleared: " [emulation: ...]" or "".
std::string take_detail();
// A generated stub was called: reported once per name, returns status.
int not_emulated(const char* name, int status);
// The generic text and name of a status (the runtime's wording).
const char* status_text(int status);
const char* status_name(int status);

// ---- One lock for all of it -------------------------------------------------------------------------------
// Every entry point holds it: queued work runs in the host thread that waits, one thing at a time.
void lock();
void unlock();
struct Guard {
  Guard() { lock(); }
  ~Guard() { unlock(); }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
};

// ---- The device: an H100's limits -----------------------------------------------------------------------
struct Limits {
  static constexpr int kMajor = 9, kMinor = 0, kMultiprocessors = 132, kWarp = 32;
  static constexpr int kMaxThreadsPerBlock = 1024, kMaxBlockX = 1024, kMaxBlockY = 1024, kMaxBlockZ = 64;
  static constexpr long long kMaxGridX = 2147483647LL;
  static constexpr int kMaxGridYZ = 65535;
  static constexpr int kSharedPerBlock = 48 * 1024;            // without opt-in
  static constexpr int kSharedPerBlockOptin = 227 * 1024;      // cudaDevAttrMaxSharedMemoryPerBlockOptin
  static constexpr int kSharedPerMultiprocessor = 228 * 1024;
  static constexpr int kMaxThreadsPerMultiprocessor = 2048;
};
size_t total_memory();
void memory_info(size_t* free, size_t* total);
const char* device_name();
// cudaDeviceGetAttribute / cuDeviceGetAttribute (the numbers agree).
int device_attribute(int attribute, int* value);

// ---- Contexts ---------------------------------------------------------------------------------------------
// One device and its primary context, current per thread: a runtime-API call makes it current on its thread (as
// the real runtime does); the driver API needs it current and fails with INVALID_CONTEXT otherwise.
void make_primary_current();
bool context_current();
void set_context_current(bool current);
void* primary_context();

// ---- Memory -----------------------------------------------------------------------------------------------
enum class Kind : unsigned char { DEVICE, PINNED };
// Device memory is host memory filled with 0xff bytes (NaN as float and double, -1 as int); each allocation
// has red zones before and after it whose pattern is checked after every kernel and GEMM.
int allocate(Kind kind, size_t bytes, void** out, const char* call);
int release(Kind kind, void* p, const char* call);  // waits for all queued work first, as cudaFree does
// Whether [p, p + bytes) lies inside one live allocation of this kind; otherwise why not (for messages).
bool inside(Kind kind, const void* p, size_t bytes, std::string* why);
// What p is, for messages: "device allocation 0x... (N bytes) + offset", "page-locked ...", "host memory".
std::string describe(const void* p);
// After a kernel or GEMM: the red zones of every device allocation are intact, or what was written where.
std::string check_red_zones(const char* what);

// ---- Streams and events -----------------------------------------------------------------------------------
// Work is queued per stream and runs only when the host waits (stream, event or device synchronize, a blocking
// copy): the most hostile ordering CUDA allows. A fault while running queued work (a kernel trap, a red zone
// written, a copy source changed after it was queued) is sticky on its stream: that stream's later calls and
// waits fail with it, its queue is dropped; other streams go on.
struct Stream;
struct Fault {
  int status = SUCCESS;
  std::string message;
};
using Work = std::function<Fault()>;
int stream_create(Stream** out, unsigned flags);
int stream_destroy(Stream* s);
// nullptr, cudaStreamLegacy (1) and cudaStreamPerThread (2) are the one default stream; others must be live.
int resolve_stream(void* handle, Stream** out);
int enqueue(Stream* s, const std::string& what, Work work);
int stream_synchronize(Stream* s);
int stream_query(Stream* s);
int device_synchronize();

struct Event;
int event_create(Event** out, unsigned flags);
int event_destroy(Event* e);
int event_record(Event* e, Stream* s);
int event_synchronize(Event* e);
int event_query(Event* e);

// ---- Copies and fills ---------------------------------------------------------------------------------------
enum CopyKind : int { HOST_TO_HOST = 0, HOST_TO_DEVICE = 1, DEVICE_TO_HOST = 2, DEVICE_TO_DEVICE = 3, DEFAULT = 4 };
// A 2-D copy of height rows of width bytes (1-D: height 1). Checked now against the allocation table (bounds,
// direction); run when the stream is waited for. The host destination of a queued copy to the host holds
// 0xff bytes (NaN) until the copy runs, so that reading it before its event completes shows; a host source
// is checksummed when queued and again when the copy runs, so that rewriting it in between is reported.
int copy(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height, int kind, Stream* s,
         bool blocking, const char* call);
int fill(void* dst, size_t pitch, int value, size_t width, size_t height, Stream* s, bool blocking, const char* call);

// ---- Modules and launches -----------------------------------------------------------------------------------
int module_load(const void* image, void** module);
int module_unload(void* module);
int module_function(void* module, const char* name, void** function);
int function_set_attribute(void* function, int attribute, int value);
int function_get_attribute(void* function, int attribute, int* value);
int launch(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
           unsigned shared, Stream* s, void** params, void** extra);

// ---- Worker threads (NTEMU_THREADS, else the machine's cores, at most 8): GEMM columns and kernel blocks ------
int workers();
// Runs job(0) .. job(workers() - 1) at once, job(0) on the calling thread; returns when all are done.
void parallel(const std::function<void(int)>& job);

// ---- cuBLAS's arithmetic (FP32, column-major), run as queued work -------------------------------------------
void sgemm(bool ta, bool tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
           float beta, float* c, int ldc);

}  // namespace ntemu
