// libcuda.so.1, the driver API: the calls the engine makes (cuModuleLoadData, cuModuleGetFunction,
// cuFuncSetAttribute, cuLaunchKernel, cuGetErrorString) and the few around contexts that make them meaningful.
// Every driver call that needs a context fails with CUDA_ERROR_INVALID_CONTEXT on a thread where none is current.
#include <cstring>
#include <string>

#include "emu.h"

using namespace ntemu;

namespace {
thread_local std::string text;

int need_context(const char* call) {
  if (context_current()) return SUCCESS;
  return report(INVALID_CONTEXT, std::string(call) + " on a thread with no current CUDA context");
}

}  // namespace

extern "C" {

int cuInit(unsigned flags) { return flags == 0 ? SUCCESS : INVALID_VALUE; }

int cuDriverGetVersion(int* version) {
  *version = 13010;
  return SUCCESS;
}

int cuDeviceGetCount(int* count) {
  *count = 1;
  return SUCCESS;
}

int cuDeviceGet(int* device, int ordinal) {
  if (ordinal != 0) return report(INVALID_DEVICE, "cuDeviceGet: device " + std::to_string(ordinal) + " (the emulation has one)");
  *device = 0;
  return SUCCESS;
}

int cuDeviceGetName(char* name, int length, int device) {
  if (device != 0 || length <= 0) return INVALID_VALUE;
  std::strncpy(name, device_name(), (size_t)length - 1);
  name[length - 1] = '\0';
  return SUCCESS;
}

int cuDeviceTotalMem_v2(size_t* bytes, int device) {
  if (device != 0) return INVALID_DEVICE;
  *bytes = total_memory();
  return SUCCESS;
}

int cuDeviceGetAttribute(int* value, int attribute, int device) {
  if (device != 0) return INVALID_DEVICE;
  return device_attribute(attribute, value);
}

int cuDevicePrimaryCtxRetain(void** context, int device) {
  if (device != 0) return INVALID_DEVICE;
  *context = primary_context();
  return SUCCESS;
}

int cuDevicePrimaryCtxRelease_v2(int device) { return device == 0 ? SUCCESS : INVALID_DEVICE; }

int cuCtxGetCurrent(void** context) {
  *context = context_current() ? primary_context() : nullptr;
  return SUCCESS;
}

int cuCtxSetCurrent(void* context) {
  if (context != nullptr && context != primary_context()) return report(INVALID_CONTEXT, "cuCtxSetCurrent: not the primary context");
  set_context_current(context != nullptr);
  return SUCCESS;
}

int cuCtxGetDevice(int* device) {
  Guard g;
  if (int e = need_context("cuCtxGetDevice")) return e;
  *device = 0;
  return SUCCESS;
}

int cuCtxSynchronize() {
  Guard g;
  if (int e = need_context("cuCtxSynchronize")) return e;
  return device_synchronize();
}

int cuStreamSynchronize(void* stream) {
  Guard g;
  if (int e = need_context("cuStreamSynchronize")) return e;
  Stream* s;
  if (int e = resolve_stream(stream, &s)) return e;
  return stream_synchronize(s);
}

int cuGetErrorString(int status, const char** out) {
  if (out == nullptr) return INVALID_VALUE;
  text = std::string(status_text(status)) + take_detail();
  *out = text.c_str();
  return SUCCESS;
}

int cuGetErrorName(int status, const char** out) {
  static thread_local std::string name;
  name = status_name(status);
  if (name.rfind("cudaError", 0) == 0) name = "CUDA_ERROR_" + name.substr(9);
  if (status == 0) name = "CUDA_SUCCESS";
  *out = name.c_str();
  return SUCCESS;
}

int cuModuleLoadData(void** module, const void* image) {
  Guard g;
  return module_load(image, module);
}

int cuModuleLoadDataEx(void** module, const void* image, unsigned options, void* keys, void* values) {
  (void)keys;
  (void)values;
  Guard g;
  if (options != 0) return not_emulated("cuModuleLoadDataEx with JIT options", NOT_SUPPORTED);
  return module_load(image, module);
}

int cuModuleUnload(void* module) {
  Guard g;
  return module_unload(module);
}

int cuModuleGetFunction(void** function, void* module, const char* name) {
  Guard g;
  return module_function(module, name, function);
}

int cuFuncSetAttribute(void* function, int attribute, int value) {
  Guard g;
  return function_set_attribute(function, attribute, value);
}

int cuFuncGetAttribute(int* value, int attribute, void* function) {
  Guard g;
  return function_get_attribute(function, attribute, value);
}

int cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void* stream, void** params, void** extra) {
  Guard g;
  Stream* s;
  if (int e = resolve_stream(stream, &s)) return e;
  return launch(function, gx, gy, gz, bx, by, bz, shared, s, params, extra);
}

}  // extern "C"
