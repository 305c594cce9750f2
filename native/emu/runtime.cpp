// libcudart.so.13, the runtime API: the 22 calls the engine makes and their close relatives. As the real runtime,
// a call that needs the device makes device 0's primary context current on its thread; device queries do not.
// Every failing call is also this thread's last error (cudaGetLastError).
#include <cstring>
#include <string>

#include "emu.h"

using namespace ntemu;

namespace {

thread_local int last_error = SUCCESS;
thread_local std::string text;

int done(int status) {
  if (status != SUCCESS) last_error = status;
  return status;
}

// The entry of a call that uses the device: the lock, and the primary context current on this thread.
struct Call : Guard {
  Call() { make_primary_current(); }
};

int stream_of(void* handle, Stream** s) { return resolve_stream(handle, s); }

// cudaDeviceProp as CUDA 13 lays it out (1,008 bytes; offsets from cuda_runtime_api.h / driver_types.h, checked by
// EmulationTest against JavaCPP's cudaDeviceProp): only the fields anyone reads here are written, the rest zeroed.
constexpr size_t kPropBytes = 1008;
template <class T>
void put(void* prop, size_t offset, T value) {
  std::memcpy((char*)prop + offset, &value, sizeof(T));
}

}  // namespace

extern "C" {

int cudaGetDeviceCount(int* count) {
  *count = 1;
  return SUCCESS;
}

int cudaGetDeviceProperties(void* prop, int device) {
  if (device != 0) return done(report(INVALID_DEVICE, "cudaGetDeviceProperties: device " + std::to_string(device)));
  std::memset(prop, 0, kPropBytes);
  std::strncpy((char*)prop, device_name(), 255);
  put<size_t>(prop, 288, total_memory());                               // totalGlobalMem
  put<size_t>(prop, 296, Limits::kSharedPerBlock);                      // sharedMemPerBlock
  put<int>(prop, 304, 65536);                                           // regsPerBlock
  put<int>(prop, 308, Limits::kWarp);                                   // warpSize
  put<size_t>(prop, 312, 2147483647);                                   // memPitch
  put<int>(prop, 320, Limits::kMaxThreadsPerBlock);                     // maxThreadsPerBlock
  int dims[3] = {Limits::kMaxBlockX, Limits::kMaxBlockY, Limits::kMaxBlockZ};
  std::memcpy((char*)prop + 324, dims, sizeof dims);                    // maxThreadsDim
  int grid[3] = {(int)Limits::kMaxGridX, Limits::kMaxGridYZ, Limits::kMaxGridYZ};
  std::memcpy((char*)prop + 336, grid, sizeof grid);                    // maxGridSize
  put<size_t>(prop, 352, 65536);                                        // totalConstMem
  put<int>(prop, 360, Limits::kMajor);                                  // major
  put<int>(prop, 364, Limits::kMinor);                                  // minor
  put<size_t>(prop, 368, 512);                                          // textureAlignment
  put<int>(prop, 384, Limits::kMultiprocessors);                        // multiProcessorCount
  put<int>(prop, 392, 1);                                               // canMapHostMemory
  put<int>(prop, 560, 1);                                               // concurrentKernels
  put<int>(prop, 588, 1);                                               // unifiedAddressing
  put<int>(prop, 592, 5120);                                            // memoryBusWidth
  put<int>(prop, 596, 50 << 20);                                        // l2CacheSize
  put<int>(prop, 604, Limits::kMaxThreadsPerMultiprocessor);            // maxThreadsPerMultiProcessor
  put<size_t>(prop, 624, Limits::kSharedPerMultiprocessor);             // sharedMemPerMultiprocessor
  put<int>(prop, 632, 65536);                                           // regsPerMultiprocessor
  put<size_t>(prop, 672, Limits::kSharedPerBlockOptin);                 // sharedMemPerBlockOptin
  return SUCCESS;
}

int cudaDeviceGetAttribute(int* value, int attribute, int device) {
  if (device != 0) return done(INVALID_DEVICE);
  Guard g;
  return done(device_attribute(attribute, value));
}

int cudaDriverGetVersion(int* version) {
  *version = 13010;
  return SUCCESS;
}

int cudaRuntimeGetVersion(int* version) {
  *version = 13010;
  return SUCCESS;
}

int cudaSetDevice(int device) {
  if (device != 0) return done(report(INVALID_DEVICE, "cudaSetDevice(" + std::to_string(device) + "): the emulation has device 0"));
  Call c;
  return SUCCESS;
}

int cudaGetDevice(int* device) {
  *device = 0;
  return SUCCESS;
}

int cudaDeviceSynchronize() {
  Call c;
  return done(device_synchronize());
}

int cudaMalloc(void** p, size_t bytes) {
  Call c;
  return done(allocate(Kind::DEVICE, bytes, p, "cudaMalloc"));
}

int cudaFree(void* p) {
  Call c;  // cudaFree(nullptr) creates the context, as the real runtime
  return done(release(Kind::DEVICE, p, "cudaFree"));
}

int cudaMallocHost(void** p, size_t bytes) {
  Call c;
  return done(allocate(Kind::PINNED, bytes, p, "cudaMallocHost"));
}

int cudaHostAlloc(void** p, size_t bytes, unsigned flags) {
  (void)flags;
  Call c;
  return done(allocate(Kind::PINNED, bytes, p, "cudaHostAlloc"));
}

int cudaFreeHost(void* p) {
  Call c;
  return done(release(Kind::PINNED, p, "cudaFreeHost"));
}

int cudaMemGetInfo(size_t* free, size_t* total) {
  Call c;
  memory_info(free, total);
  return SUCCESS;
}

int cudaMemcpy(void* dst, const void* src, size_t bytes, int kind) {
  Call c;
  Stream* s;
  if (int e = stream_of(nullptr, &s)) return done(e);
  return done(copy(dst, bytes, src, bytes, bytes, 1, kind, s, true, "cudaMemcpy"));
}

int cudaMemcpyAsync(void* dst, const void* src, size_t bytes, int kind, void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(copy(dst, bytes, src, bytes, bytes, 1, kind, s, false, "cudaMemcpyAsync"));
}

int cudaMemcpy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height, int kind) {
  Call c;
  Stream* s;
  if (int e = stream_of(nullptr, &s)) return done(e);
  return done(copy(dst, dpitch, src, spitch, width, height, kind, s, true, "cudaMemcpy2D"));
}

int cudaMemcpy2DAsync(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height, int kind,
                      void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(copy(dst, dpitch, src, spitch, width, height, kind, s, false, "cudaMemcpy2DAsync"));
}

int cudaMemset(void* dst, int value, size_t bytes) {
  Call c;
  Stream* s;
  if (int e = stream_of(nullptr, &s)) return done(e);
  return done(fill(dst, bytes, value, bytes, 1, s, true, "cudaMemset"));
}

int cudaMemsetAsync(void* dst, int value, size_t bytes, void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(fill(dst, bytes, value, bytes, 1, s, false, "cudaMemsetAsync"));
}

int cudaMemset2DAsync(void* dst, size_t pitch, int value, size_t width, size_t height, void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(fill(dst, pitch, value, width, height, s, false, "cudaMemset2DAsync"));
}

int cudaStreamCreate(void** stream) {
  Call c;
  return done(stream_create((Stream**)stream, 0));
}

int cudaStreamCreateWithFlags(void** stream, unsigned flags) {
  Call c;
  return done(stream_create((Stream**)stream, flags));
}

int cudaStreamDestroy(void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(stream_destroy(s));
}

int cudaStreamSynchronize(void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(stream_synchronize(s));
}

int cudaStreamQuery(void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return stream_query(s);
}

int cudaEventCreate(void** event) {
  Call c;
  return done(event_create((Event**)event, 0));
}

int cudaEventCreateWithFlags(void** event, unsigned flags) {
  Call c;
  return done(event_create((Event**)event, flags));
}

int cudaEventDestroy(void* event) {
  Call c;
  return done(event_destroy((Event*)event));
}

int cudaEventRecord(void* event, void* stream) {
  Call c;
  Stream* s;
  if (int e = stream_of(stream, &s)) return done(e);
  return done(event_record((Event*)event, s));
}

int cudaEventSynchronize(void* event) {
  Call c;
  return done(event_synchronize((Event*)event));
}

int cudaEventQuery(void* event) {
  Call c;
  return event_query((Event*)event);
}

int cudaGetLastError() {
  int e = last_error;
  last_error = SUCCESS;
  return e;
}

int cudaPeekAtLastError() { return last_error; }

const char* cudaGetErrorString(int status) {
  text = std::string(status_text(status)) + take_detail();
  return text.c_str();
}

const char* cudaGetErrorName(int status) { return status_name(status); }

}  // extern "C"
