// Modules and kernel launches: cuModuleLoadData takes our fatbin (the one nvcc builds, or the emulation's stand-in
// listing the kernel names, where the build had no nvcc), cuModuleGetFunction finds a kernel by name among the
// host build of native/ (compiled into this library, fiber execution model), and cuLaunchKernel checks the launch
// against an H100's limits and every pointer argument against the allocation table, copies the arguments, and
// queues the kernel on its stream.
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../kernels.cu"
#include "emu.h"

namespace ntemu {

namespace {

// cuFuncSetAttribute / cuFuncGetAttribute attribute numbers (CUfunction_attribute) that mean something here.
enum {
  ATTR_MAX_THREADS_PER_BLOCK = 0,
  ATTR_SHARED_SIZE_BYTES = 1,
  ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
};

struct Function;
using Enqueue = int (*)(Function& f, unsigned grid, unsigned block, unsigned shared, Stream* s, void** params);

struct Function {
  std::string name;
  Enqueue enqueue;
  int max_dynamic_shared = Limits::kSharedPerBlock;  // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
  size_t static_shared = 0;                           // measured at its launches (NT_SHARED)
};

struct Module {
  std::set<std::string> names;  // the kernels the image holds
  std::map<std::string, std::unique_ptr<Function>> functions;
};

std::set<Module*> modules;
std::set<Function*> functions;

template <class T>
const char* type_name() {
  if constexpr (std::is_same_v<T, float*>) return "float*";
  else if constexpr (std::is_same_v<T, const float*>) return "const float*";
  else if constexpr (std::is_same_v<T, int*>) return "int*";
  else if constexpr (std::is_same_v<T, const int*>) return "const int*";
  else if constexpr (std::is_same_v<T, double*>) return "double*";
  else if constexpr (std::is_same_v<T, const double*>) return "const double*";
  else if constexpr (std::is_same_v<T, const unsigned char*>) return "const unsigned char*";
  else if constexpr (std::is_same_v<T, int>) return "int";
  else if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else return "?";
}

// Reads argument i (of type T) from the driver's kernelParams and checks a pointer against the allocation table:
// it must lie inside a live device allocation and be aligned for its type, as the kernel will dereference it.
template <class T>
bool read_param(T& out, void** params, size_t i, const std::string& kernel, std::string* why, int* status) {
  if (params[i] == nullptr) {
    *why = kernel + ": kernelParams[" + std::to_string(i) + "] is null";
    *status = INVALID_VALUE;
    return false;
  }
  std::memcpy(&out, params[i], sizeof(T));
  if constexpr (std::is_pointer_v<T>) {
    using Pointee = std::remove_cv_t<std::remove_pointer_t<T>>;
    std::string where;
    std::string arg = kernel + " argument " + std::to_string(i) + " (" + type_name<T>() + ")";
    if (!inside(Kind::DEVICE, (const void*)out, sizeof(Pointee), &where)) {
      *why = arg + " = " + where;
      *status = ILLEGAL_ADDRESS;
      return false;
    }
    if ((uintptr_t)out % alignof(Pointee) != 0) {
      *why = arg + " is not aligned to " + std::to_string(alignof(Pointee)) + " bytes";
      *status = MISALIGNED_ADDRESS;
      return false;
    }
  }
  return true;
}

template <class... P, size_t... I>
bool read_params(std::tuple<P...>& args, void** params, const std::string& kernel, std::string* why, int* status,
                 std::index_sequence<I...>) {
  return (read_param(std::get<I>(args), params, I, kernel, why, status) && ...);
}

// The enqueue function of a kernel with parameters P...: the arguments are read and checked now (the driver
// copies kernelParams at the launch, so the caller may reuse them), the kernel runs when the stream is waited for.
template <auto kernel>
struct Launcher;

template <class... P, void (*kernel)(P...)>
struct Launcher<kernel> {
  static int enqueue(Function& f, unsigned grid, unsigned block, unsigned shared, Stream* s, void** params) {
    std::tuple<P...> args;
    std::string why;
    int status = SUCCESS;
    if (sizeof...(P) > 0 && params == nullptr) return report(INVALID_VALUE, f.name + ": kernelParams is null");
    if (!read_params(args, params, f.name, &why, &status, std::index_sequence_for<P...>{})) return report(status, "cuLaunchKernel(" + f.name + "): " + why);
    Function* fn = &f;
    std::string what = "kernel " + f.name + " <<<" + std::to_string(grid) + ", " + std::to_string(block) + ", " + std::to_string(shared) + ">>>";
    return ntemu::enqueue(s, what, [=]() -> Fault {
      int r = std::apply([&](auto... a) { return nt_host::launch(kernel, (int)grid, (int)block, (int)shared, a...); }, args);
      if (r == nt_host::IMPOSSIBLE) return Fault{INVALID_CONFIGURATION, "the host build refused the launch"};
      if (r == nt_host::FAILED) return Fault{LAUNCH_FAILED, "the kernel failed: " + nt_host::failure()};
      size_t used = nt_host::static_shared_used;
      fn->static_shared = std::max(fn->static_shared, used);
      int limit = std::max(Limits::kSharedPerBlock, fn->max_dynamic_shared);
      if (used + shared > (size_t)limit) {
        return Fault{LAUNCH_OUT_OF_RESOURCES, std::to_string(used) + " bytes of static and " + std::to_string(shared) +
                                                  " of dynamic shared memory exceed the block's " + std::to_string(limit)};
      }
      std::string zones = check_red_zones(("kernel " + fn->name).c_str());
      if (!zones.empty()) return Fault{ILLEGAL_ADDRESS, zones};
      return Fault{};
    });
  }
};

struct Known {
  const char* name;
  Enqueue enqueue;
};

#define NT_EMU_KERNEL(k) Known{#k, &Launcher<&k>::enqueue}

// Every kernel of native/ (kernels.cu). A kernel missing here is "not emulated" at cuModuleGetFunction.
const Known kKernels[] = {
    NT_EMU_KERNEL(nt_fill),
    NT_EMU_KERNEL(nt_multiply),
    NT_EMU_KERNEL(nt_embedding_gather),
    NT_EMU_KERNEL(nt_embedding_grad),
    NT_EMU_KERNEL(nt_softmax_xent),
    NT_EMU_KERNEL(nt_loss_sum),
    NT_EMU_KERNEL(nt_sum_squares_partial),
    NT_EMU_KERNEL(nt_sum_squares_final),
    NT_EMU_KERNEL(nt_clip_adam),
    NT_EMU_KERNEL(nt_sparse_adam),
    NT_EMU_KERNEL(nt_sampled_columns),
    NT_EMU_KERNEL(nt_lstm_forward),
    NT_EMU_KERNEL(nt_lstm_backward),
    NT_EMU_KERNEL(nt_log_softmax),
    NT_EMU_KERNEL(nt_top_k),
};

const Known* known(const std::string& name) {
  for (const Known& k : kKernels)
    if (name == k.name) return &k;
  return nullptr;
}

// A grid's blocks run on the worker threads at once (each its own fibers and shared memory): blocks of our kernels
// share no writable memory, so the order does not matter; a race between blocks would show as results that vary.
const bool kParallelBlocks = [] {
  nt_host::parallel_for = [](void (*job)(void*, int), void* context) { parallel([&](int w) { job(context, w); }); };
  nt_host::parallel_workers = workers();
  return true;
}();

constexpr uint32_t kFatbinMagic = 0xBA55ED50;
constexpr char kStandIn[] = "NTEMU-FATBIN\n";

}  // namespace

int module_load(const void* image, void** out) {
  if (!context_current()) return report(INVALID_CONTEXT, "cuModuleLoadData on a thread with no current CUDA context");
  if (image == nullptr) return report(INVALID_VALUE, "cuModuleLoadData: a null image");
  auto m = std::make_unique<Module>();
  uint32_t magic;
  std::memcpy(&magic, image, 4);
  if (magic == kFatbinMagic) {
    // nvcc's fatbin: header (magic, version, header size, payload size), then the cubins and PTX, whose symbol
    // tables name each kernel (NUL-terminated; the build does not compress them). The code itself is not run:
    // the kernels of the same name in the host build are.
    uint16_t header;
    uint64_t payload;
    std::memcpy(&header, (const char*)image + 6, 2);
    std::memcpy(&payload, (const char*)image + 8, 8);
    std::string bytes((const char*)image, header + payload);
    for (const Known& k : kKernels)
      if (bytes.find(std::string(k.name) + '\0') != std::string::npos) m->names.insert(k.name);
    if (m->names.empty()) return report(INVALID_IMAGE, "cuModuleLoadData: a fatbin without any kernel the emulation knows (compressed?)");
  } else if (std::strncmp((const char*)image, kStandIn, sizeof kStandIn - 1) == 0) {
    // The stand-in (native/emu/CMakeLists.txt writes it where there is no nvcc): one kernel name a line, then a
    // line END (the image comes without its size: nothing past END is read).
    const char* p = (const char*)image + sizeof kStandIn - 1;
    for (int lines = 0;; lines++) {
      const char* e = p;
      while (*e != '\n' && *e != '\0' && e - p < 256) e++;
      std::string name(p, e);
      if (name == "END") break;
      if (*e != '\n' || lines > 10000) return report(INVALID_IMAGE, "cuModuleLoadData: a stand-in fatbin without its END line");
      if (!name.empty()) m->names.insert(name);
      p = e + 1;
    }
  } else {
    return report(INVALID_IMAGE, "cuModuleLoadData: neither a fatbin nor the emulation's stand-in");
  }
  *out = m.get();
  modules.insert(m.release());
  return SUCCESS;
}

int module_unload(void* module) {
  auto* m = (Module*)module;
  if (modules.erase(m) == 0) return report(INVALID_HANDLE, "cuModuleUnload: not a loaded module");
  for (auto& [name, f] : m->functions) functions.erase(f.get());
  delete m;
  return SUCCESS;
}

int module_function(void* module, const char* name, void** out) {
  auto* m = (Module*)module;
  if (modules.count(m) == 0) return report(INVALID_HANDLE, "cuModuleGetFunction: not a loaded module");
  std::string n = name;
  if (m->names.count(n) == 0) return report(NOT_FOUND, "cuModuleGetFunction: the module has no kernel " + n);
  const Known* k = known(n);
  if (k == nullptr) return report(NOT_FOUND, "cuModuleGetFunction: kernel " + n + " is not emulated (not in native/emu/launch.cpp)");
  auto& f = m->functions[n];
  if (!f) {
    f = std::make_unique<Function>();
    f->name = n;
    f->enqueue = k->enqueue;
    functions.insert(f.get());
  }
  *out = f.get();
  return SUCCESS;
}

int function_set_attribute(void* function, int attribute, int value) {
  auto* f = (Function*)function;
  if (!context_current()) return report(INVALID_CONTEXT, "cuFuncSetAttribute on a thread with no current CUDA context");
  if (functions.count(f) == 0) return report(INVALID_HANDLE, "cuFuncSetAttribute: not a function of a loaded module");
  if (attribute != ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES) return not_emulated("cuFuncSetAttribute with this attribute", NOT_SUPPORTED);
  if (value < 0 || (size_t)value + f->static_shared > (size_t)Limits::kSharedPerBlockOptin) {
    return report(INVALID_VALUE, "cuFuncSetAttribute(" + f->name + ", max dynamic shared memory " + std::to_string(value) +
                                     "): above the device's " + std::to_string(Limits::kSharedPerBlockOptin) + " bytes per block");
  }
  f->max_dynamic_shared = value;
  return SUCCESS;
}

int function_get_attribute(void* function, int attribute, int* value) {
  auto* f = (Function*)function;
  if (functions.count(f) == 0) return report(INVALID_HANDLE, "cuFuncGetAttribute: not a function of a loaded module");
  switch (attribute) {
    case ATTR_MAX_THREADS_PER_BLOCK: *value = Limits::kMaxThreadsPerBlock; return SUCCESS;
    case ATTR_SHARED_SIZE_BYTES: *value = (int)f->static_shared; return SUCCESS;
    case ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES: *value = f->max_dynamic_shared; return SUCCESS;
    default: return not_emulated("cuFuncGetAttribute with this attribute", NOT_SUPPORTED);
  }
}

int launch(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
           Stream* s, void** params, void** extra) {
  auto* f = (Function*)function;
  if (functions.count(f) == 0) return report(INVALID_HANDLE, "cuLaunchKernel: not a function of a loaded module");
  std::string call = "cuLaunchKernel(" + f->name + ")";
  if (!context_current()) {
    return report(INVALID_CONTEXT, call + " on a thread with no current CUDA context (the driver API needs one: a runtime call on "
                                          "this thread, or cuCtxSetCurrent, first)");
  }
  if (gx < 1 || gx > Limits::kMaxGridX || gy < 1 || gy > (unsigned)Limits::kMaxGridYZ || gz < 1 || gz > (unsigned)Limits::kMaxGridYZ) {
    return report(INVALID_VALUE, call + ": grid " + std::to_string(gx) + "x" + std::to_string(gy) + "x" + std::to_string(gz) +
                                     " outside the device's limits");
  }
  if (bx < 1 || by < 1 || bz < 1 || bx > (unsigned)Limits::kMaxBlockX || by > (unsigned)Limits::kMaxBlockY ||
      bz > (unsigned)Limits::kMaxBlockZ || (unsigned long long)bx * by * bz > (unsigned long long)Limits::kMaxThreadsPerBlock) {
    return report(INVALID_VALUE, call + ": block " + std::to_string(bx) + "x" + std::to_string(by) + "x" + std::to_string(bz) +
                                     " outside the device's limits (1,024 threads)");
  }
  if (gy != 1 || gz != 1 || by != 1 || bz != 1) return not_emulated("cuLaunchKernel with a 2-D or 3-D grid or block", NOT_SUPPORTED);
  if (extra != nullptr) return not_emulated("cuLaunchKernel with extra", NOT_SUPPORTED);
  int limit = std::max(Limits::kSharedPerBlock, f->max_dynamic_shared);
  if (shared > (unsigned)limit) {
    return report(INVALID_VALUE, call + ": " + std::to_string(shared) + " bytes of dynamic shared memory; the function allows " +
                                     std::to_string(limit) + (limit == Limits::kSharedPerBlock
                                                                  ? " (above 48 KiB it must first opt in with cuFuncSetAttribute("
                                                                    "CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES))"
                                                                  : ""));
  }
  return f->enqueue(*f, gx, bx, shared, s, params);
}

}  // namespace ntemu
