// The emulation's core: reporting, the lock, the device and its primary context, memory, streams, events and
// copies (modules and launches: launch.cpp; GEMM: sgemm.cpp). See emu.h for the contract.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "emu.h"

namespace ntemu {

namespace {

std::recursive_mutex big_lock;
thread_local std::string detail;
thread_local bool current = false;  // the primary context is current on this thread
int primary_context_tag;             // its address is the context handle

std::string hex(const void* p) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", (unsigned long long)(uintptr_t)p);
  return b;
}

}  // namespace

// ---- Reporting --------------------------------------------------------------------------------------------

int report(int status, const std::string& message) {
  std::fprintf(stderr, "nexttrack CUDA emulation: %s\n", message.c_str());
  std::fflush(stderr);
  detail = message;
  return status;
}

std::string take_detail() {
  if (detail.empty()) return "";
  std::string d = " [emulation: " + detail + "]";
  detail.clear();
  return d;
}

int not_emulated(const char* name, int status) {
  static std::set<std::string> said;
  Guard g;
  std::string n = name;
  std::string message = std::strncmp(name, "cudnn", 5) == 0
                            ? "cuDNN is not emulated: " + n + " reports CUDNN_STATUS_NOT_SUPPORTED (as every cuDNN call)"
                            : "not emulated: " + n;
  if (said.insert(n).second) return report(status, message);
  detail = message;
  return status;
}

const char* status_text(int status) {
  switch (status) {
    case SUCCESS: return "no error";
    case INVALID_VALUE: return "invalid argument";
    case OUT_OF_MEMORY: return "out of memory";
    case NOT_INITIALIZED: return "initialization error";
    case INVALID_CONFIGURATION: return "invalid configuration argument";
    case INVALID_PITCH: return "invalid pitch argument";
    case INVALID_MEMCPY_DIRECTION: return "invalid copy direction for memcpy";
    case NO_DEVICE: return "no CUDA-capable device is detected";
    case INVALID_DEVICE: return "invalid device ordinal";
    case INVALID_IMAGE: return "device kernel image is invalid";
    case INVALID_CONTEXT: return "invalid device context";
    case INVALID_HANDLE: return "invalid resource handle";
    case NOT_FOUND: return "named symbol not found";
    case NOT_READY: return "device not ready";
    case ILLEGAL_ADDRESS: return "an illegal memory access was encountered";
    case LAUNCH_OUT_OF_RESOURCES: return "too many resources requested for launch";
    case MISALIGNED_ADDRESS: return "misaligned address";
    case LAUNCH_FAILED: return "unspecified launch failure";
    case NOT_SUPPORTED: return "operation not supported";
    default: return "unknown error";
  }
}

const char* status_name(int status) {
  switch (status) {
    case SUCCESS: return "cudaSuccess";
    case INVALID_VALUE: return "cudaErrorInvalidValue";
    case OUT_OF_MEMORY: return "cudaErrorMemoryAllocation";
    case NOT_INITIALIZED: return "cudaErrorInitializationError";
    case INVALID_CONFIGURATION: return "cudaErrorInvalidConfiguration";
    case INVALID_PITCH: return "cudaErrorInvalidPitchValue";
    case INVALID_MEMCPY_DIRECTION: return "cudaErrorInvalidMemcpyDirection";
    case NO_DEVICE: return "cudaErrorNoDevice";
    case INVALID_DEVICE: return "cudaErrorInvalidDevice";
    case INVALID_IMAGE: return "cudaErrorInvalidKernelImage";
    case INVALID_CONTEXT: return "cudaErrorDeviceUninitialized";
    case INVALID_HANDLE: return "cudaErrorInvalidResourceHandle";
    case NOT_FOUND: return "cudaErrorSymbolNotFound";
    case NOT_READY: return "cudaErrorNotReady";
    case ILLEGAL_ADDRESS: return "cudaErrorIllegalAddress";
    case LAUNCH_OUT_OF_RESOURCES: return "cudaErrorLaunchOutOfResources";
    case MISALIGNED_ADDRESS: return "cudaErrorMisalignedAddress";
    case LAUNCH_FAILED: return "cudaErrorLaunchFailure";
    case NOT_SUPPORTED: return "cudaErrorNotSupported";
    default: return "cudaErrorUnknown";
  }
}

namespace {
thread_local int depth = 0;
}

// The outermost lock of an API call starts it with no detail: a detail belongs to the call that set it.
void lock() {
  big_lock.lock();
  if (depth++ == 0) detail.clear();
}

void unlock() {
  depth--;
  big_lock.unlock();
}

// ---- Device and context -------------------------------------------------------------------------------------

size_t total_memory() {
  // An H100's 80 GiB, or three quarters of this machine's memory where that is less (device memory is host memory).
  static const size_t total = [] {
    size_t h100 = 80ull << 30;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    size_t host = pages > 0 && page > 0 ? (size_t)pages * (size_t)page / 4 * 3 : h100;
    return std::min(h100, host) & ~(size_t)0xfffff;
  }();
  return total;
}

const char* device_name() { return "nexttrack CUDA emulation (H100 limits)"; }

void make_primary_current() { current = true; }
bool context_current() { return current; }
void set_context_current(bool c) { current = c; }
void* primary_context() { return &primary_context_tag; }

// CUdevice_attribute and cudaDeviceAttr agree on these numbers.
int device_attribute(int attribute, int* value) {
  switch (attribute) {
    case 1: *value = Limits::kMaxThreadsPerBlock; return SUCCESS;
    case 2: *value = Limits::kMaxBlockX; return SUCCESS;
    case 3: *value = Limits::kMaxBlockY; return SUCCESS;
    case 4: *value = Limits::kMaxBlockZ; return SUCCESS;
    case 5: *value = (int)Limits::kMaxGridX; return SUCCESS;
    case 6:
    case 7: *value = Limits::kMaxGridYZ; return SUCCESS;
    case 8: *value = Limits::kSharedPerBlock; return SUCCESS;
    case 10: *value = Limits::kWarp; return SUCCESS;
    case 16: *value = Limits::kMultiprocessors; return SUCCESS;
    case 31: *value = 1; return SUCCESS;
    case 39: *value = Limits::kMaxThreadsPerMultiprocessor; return SUCCESS;
    case 41: *value = 1; return SUCCESS;
    case 75: *value = Limits::kMajor; return SUCCESS;
    case 76: *value = Limits::kMinor; return SUCCESS;
    case 81: *value = Limits::kSharedPerMultiprocessor; return SUCCESS;
    case 97: *value = Limits::kSharedPerBlockOptin; return SUCCESS;
    default: return not_emulated(("device attribute " + std::to_string(attribute)).c_str(), INVALID_VALUE);
  }
}

// ---- Memory ---------------------------------------------------------------------------------------------------

namespace {

constexpr size_t kRedZone = 256;         // before and after every allocation (cudaMalloc aligns to 256 bytes)
constexpr uint32_t kRedPattern = 0xfff5a5a5;  // NaN as float and as double, a negative int: reads show, writes are seen

struct Allocation {
  Kind kind;
  char* map;      // the mapping: red zone, user bytes (rounded up to 256), red zone
  size_t map_bytes;
  char* base;     // what cudaMalloc returned
  size_t bytes;   // what was asked for
  char* end() const { return base + bytes; }
  char* map_end() const { return map + map_bytes; }
};

std::map<uintptr_t, Allocation> allocations;  // by map start
size_t device_bytes = 0;

void paint(char* p, size_t bytes) {
  for (size_t i = 0; i + 4 <= bytes; i += 4) std::memcpy(p + i, &kRedPattern, 4);
  for (size_t i = bytes / 4 * 4; i < bytes; i++) p[i] = (char)0xa5;
}

// The allocation whose mapping holds p, or nullptr.
const Allocation* holding(const void* p) {
  auto u = (uintptr_t)p;
  auto it = allocations.upper_bound(u);
  if (it == allocations.begin()) return nullptr;
  --it;
  const Allocation& a = it->second;
  return u < (uintptr_t)a.map_end() ? &a : nullptr;
}

// The first allocation whose mapping overlaps [p, p + bytes), or nullptr.
const Allocation* overlapping(const void* p, size_t bytes) {
  if (const Allocation* a = holding(p)) return a;
  auto it = allocations.upper_bound((uintptr_t)p);
  if (it != allocations.end() && it->first < (uintptr_t)p + bytes) return &it->second;
  return nullptr;
}

const char* kind_name(Kind k) { return k == Kind::DEVICE ? "device allocation" : "page-locked host allocation"; }

std::string size_text(size_t bytes) { return std::to_string(bytes) + " bytes"; }

}  // namespace

void memory_info(size_t* free, size_t* total) {
  *total = total_memory();
  *free = total_memory() > device_bytes ? total_memory() - device_bytes : 0;
}

int allocate(Kind kind, size_t bytes, void** out, const char* call) {
  *out = nullptr;
  if (kind == Kind::DEVICE && bytes > total_memory() - std::min(total_memory(), device_bytes)) return OUT_OF_MEMORY;
  size_t user = (std::max<size_t>(bytes, 1) + kRedZone - 1) / kRedZone * kRedZone;
  size_t map_bytes = kRedZone + user + kRedZone;
  void* m = mmap(nullptr, map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return OUT_OF_MEMORY;
  Allocation a{kind, (char*)m, map_bytes, (char*)m + kRedZone, bytes};
  paint(a.map, kRedZone);
  std::memset(a.base, 0xff, bytes);  // NaN as float and double, -1 as int: reading what nobody wrote shows
  paint(a.end(), a.map_end() - a.end());
  allocations.emplace((uintptr_t)a.map, a);
  if (kind == Kind::DEVICE) device_bytes += bytes;
  *out = a.base;
  (void)call;
  return SUCCESS;
}

int release(Kind kind, void* p, const char* call) {
  if (p == nullptr) return SUCCESS;
  int status = device_synchronize();  // cudaFree and cudaFreeHost wait for the device
  const Allocation* a = holding(p);
  if (a == nullptr || a->base != p || a->kind != kind) {
    return report(kind == Kind::DEVICE ? INVALID_VALUE : INVALID_VALUE,
                  std::string(call) + "(" + hex(p) + "): not the start of a live " + kind_name(kind) + " (" + describe(p) + ")");
  }
  if (kind == Kind::DEVICE) device_bytes -= a->bytes;
  munmap(a->map, a->map_bytes);
  allocations.erase((uintptr_t)a->map);
  return status == SUCCESS ? SUCCESS : status;
}

bool inside(Kind kind, const void* p, size_t bytes, std::string* why) {
  const Allocation* a = holding(p);
  if (a == nullptr || a->kind != kind) {
    if (why) *why = hex(p) + " is not in a live " + kind_name(kind) + " (" + describe(p) + ")";
    return false;
  }
  auto* c = (const char*)p;
  if (c < a->base || c + bytes > a->end()) {
    if (why) {
      long long from = c - a->base;
      *why = "bytes [" + std::to_string(from) + ", " + std::to_string(from + (long long)bytes) + ") of the " +
             kind_name(kind) + " " + hex(a->base) + " of " + size_text(a->bytes) + " (out of bounds)";
    }
    return false;
  }
  return true;
}

std::string describe(const void* p) {
  const Allocation* a = holding(p);
  if (a == nullptr) return "host memory not allocated by CUDA, or freed";
  auto* c = (const char*)p;
  long long off = c - a->base;
  std::string where = std::string(kind_name(a->kind)) + " " + hex(a->base) + " of " + size_text(a->bytes);
  if (off < 0) return std::to_string(-off) + " bytes before the " + where;
  if (c >= a->end()) return std::to_string(c - a->end()) + " bytes past the end of the " + where;
  return where + " + " + std::to_string(off);
}

namespace {

// Where the painting of [from, from + bytes) (by paint) has been changed: its offset, or bytes if nowhere.
size_t first_changed(const char* from, size_t bytes) {
  size_t whole = bytes / 4 * 4;
  for (size_t i = 0; i < whole; i += 4) {
    uint32_t w;
    std::memcpy(&w, from + i, 4);
    if (w != kRedPattern) {
      for (size_t j = i; j < i + 4; j++)
        if ((uint8_t)from[j] != (uint8_t)(kRedPattern >> (8 * (j - i)))) return j;
    }
  }
  for (size_t i = whole; i < bytes; i++)
    if ((uint8_t)from[i] != 0xa5) return i;
  return bytes;
}

}  // namespace

std::string check_red_zones(const char* what) {
  for (auto& [start, a] : allocations) {
    if (a.kind != Kind::DEVICE) continue;
    size_t before = first_changed(a.map, kRedZone), after = first_changed(a.end(), a.map_end() - a.end());
    if (before == kRedZone && after == (size_t)(a.map_end() - a.end())) continue;
    std::string side = before < kRedZone ? std::to_string(kRedZone - before) + " bytes before"
                                         : std::to_string(after) + " bytes past the end of";
    paint(a.map, kRedZone);  // reported once
    paint(a.end(), a.map_end() - a.end());
    return std::string(what) + " wrote outside its memory: " + side + " the device allocation " + hex(a.base) + " of " +
           size_text(a.bytes);
  }
  return "";
}

// ---- Streams and events ------------------------------------------------------------------------------------

struct Stream {
  struct Op {
    uint64_t seq;
    std::string what;
    Work work;
  };
  std::deque<Op> queue;
  uint64_t next_seq = 1, done_seq = 0;
  int error = SUCCESS;
  std::string error_message;
  unsigned flags = 0;
};

struct Event {
  Stream* stream = nullptr;  // recorded on, until complete
  uint64_t seq = 0;
  unsigned flags = 0;
};

namespace {

Stream default_stream;
std::set<Stream*> streams;
std::set<Event*> events;

// A range of host memory that a queued copy reads: not poisoned by a later queued copy into it.
struct Pending {
  const char* from;
  const char* to;
};
std::vector<std::pair<uint64_t, Pending>> pending_sources;  // by a unique id
uint64_t next_pending = 1;

int sticky(Stream* s) {
  if (s->error == SUCCESS) return SUCCESS;
  detail = s->error_message + " (an earlier fault on this stream: its later work was dropped)";
  return s->error;
}

// NTEMU_PROFILE=1: the time spent in queued work, by kind (a kernel and its launch, a GEMM and its shape, a copy),
// printed on stderr when the process exits.
struct Profile {
  struct Entry {
    double seconds = 0;
    long count = 0;
  };
  std::map<std::string, Entry> entries;
  bool on = std::getenv("NTEMU_PROFILE") != nullptr;
  ~Profile() {
    if (!on) return;
    std::vector<std::pair<double, std::string>> rows;
    double total = 0;
    for (auto& [k, e] : entries) {
      rows.push_back({e.seconds, k});
      total += e.seconds;
    }
    std::sort(rows.rbegin(), rows.rend());
    std::fprintf(stderr, "nexttrack CUDA emulation profile: %.3f s of queued work\n", total);
    for (auto& [sec, k] : rows) std::fprintf(stderr, "  %9.3f s %8ld x  %s\n", sec, entries[k].count, k.c_str());
  }
};
Profile profile;

std::string profile_key(const std::string& what) {
  size_t cut = what.find(" (");
  return cut == std::string::npos ? what : what.substr(0, cut);
}

// Runs s's queued work in order up to sequence number `upto`, or stops at the first fault (sticky).
int drain(Stream* s, uint64_t upto) {
  while (!s->queue.empty() && s->queue.front().seq <= upto) {
    Stream::Op op = std::move(s->queue.front());
    s->queue.pop_front();
    auto start = std::chrono::steady_clock::now();
    Fault f = op.work();
    if (profile.on) {
      auto& e = profile.entries[profile_key(op.what)];
      e.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      e.count++;
    }
    s->done_seq = op.seq;
    if (f.status != SUCCESS) {
      s->error = f.status;
      s->error_message = op.what + ": " + f.message;
      s->queue.clear();
      report(f.status, s->error_message);
      return f.status;
    }
  }
  return sticky(s);
}

bool live(Stream* s) { return s == &default_stream || streams.count(s) > 0; }

}  // namespace

int resolve_stream(void* handle, Stream** out) {
  auto u = (uintptr_t)handle;
  if (u == 0 || u == 1 || u == 2) {
    *out = &default_stream;
    return SUCCESS;
  }
  auto* s = (Stream*)handle;
  if (streams.count(s) == 0) return report(INVALID_HANDLE, "stream " + hex(handle) + " is not a live stream (destroyed, or never created)");
  *out = s;
  return SUCCESS;
}

int stream_create(Stream** out, unsigned flags) {
  auto* s = new Stream();
  s->flags = flags;
  streams.insert(s);
  *out = s;
  return SUCCESS;
}

int stream_destroy(Stream* s) {
  if (s == &default_stream || streams.count(s) == 0) return report(INVALID_HANDLE, "cudaStreamDestroy: not a live stream");
  drain(s, UINT64_MAX);  // the stream's work completes; its resources go after (as CUDA)
  for (Event* e : events)
    if (e->stream == s) e->stream = nullptr;
  streams.erase(s);
  delete s;
  return SUCCESS;
}

int enqueue(Stream* s, const std::string& what, Work work) {
  if (!live(s)) return report(INVALID_HANDLE, what + ": not a live stream");
  if (int e = sticky(s)) return e;
  s->queue.push_back(Stream::Op{s->next_seq++, what, std::move(work)});
  return SUCCESS;
}

int stream_synchronize(Stream* s) {
  if (!live(s)) return report(INVALID_HANDLE, "cudaStreamSynchronize: not a live stream");
  return drain(s, UINT64_MAX);
}

int stream_query(Stream* s) {
  if (int e = sticky(s)) return e;
  return s->queue.empty() ? SUCCESS : NOT_READY;
}

int device_synchronize() {
  int first = drain(&default_stream, UINT64_MAX);
  for (Stream* s : std::vector<Stream*>(streams.begin(), streams.end())) {
    int e = drain(s, UINT64_MAX);
    if (first == SUCCESS) first = e;
  }
  return first;
}

int event_create(Event** out, unsigned flags) {
  auto* e = new Event();
  e->flags = flags;
  events.insert(e);
  *out = e;
  return SUCCESS;
}

int event_destroy(Event* e) {
  if (events.erase(e) == 0) return report(INVALID_HANDLE, "cudaEventDestroy: not a live event");
  delete e;
  return SUCCESS;
}

int event_record(Event* e, Stream* s) {
  if (events.count(e) == 0) return report(INVALID_HANDLE, "cudaEventRecord: not a live event");
  if (!live(s)) return report(INVALID_HANDLE, "cudaEventRecord: not a live stream");
  if (int err = sticky(s)) return err;
  e->stream = s;
  e->seq = s->next_seq;
  return enqueue(s, "event", [] { return Fault{}; });  // a marker: the event completes when the stream reaches it
}

int event_synchronize(Event* e) {
  if (events.count(e) == 0) return report(INVALID_HANDLE, "cudaEventSynchronize: not a live event");
  Stream* s = e->stream;
  if (s == nullptr || !live(s)) return SUCCESS;  // never recorded, or its stream is gone (its work done)
  int status = drain(s, e->seq);
  if (s->done_seq >= e->seq) e->stream = nullptr;
  return status;
}

int event_query(Event* e) {
  if (events.count(e) == 0) return report(INVALID_HANDLE, "cudaEventQuery: not a live event");
  Stream* s = e->stream;
  if (s == nullptr || !live(s) || s->done_seq >= e->seq) return SUCCESS;
  if (int err = sticky(s)) return err;
  return NOT_READY;
}

// ---- Copies and fills ------------------------------------------------------------------------------------------

namespace {

uint64_t checksum(const char* p, size_t pitch, size_t width, size_t height) {
  uint64_t h = 1469598103934665603ull;
  for (size_t r = 0; r < height; r++) {
    const char* row = p + r * pitch;
    size_t i = 0;
    for (; i + 8 <= width; i += 8) {
      uint64_t w;
      std::memcpy(&w, row + i, 8);
      h = (h ^ w) * 1099511628211ull;
      h ^= h >> 29;
    }
    for (; i < width; i++) h = (h ^ (uint8_t)row[i]) * 1099511628211ull;
  }
  return h;
}

bool overlaps_pending(const char* from, const char* to) {
  for (auto& [id, p] : pending_sources)
    if (from < p.to && p.from < to) return true;
  return false;
}

void forget_pending(uint64_t id) {
  for (size_t i = 0; i < pending_sources.size(); i++) {
    if (pending_sources[i].first == id) {
      pending_sources.erase(pending_sources.begin() + (long)i);
      return;
    }
  }
}

const char* kind_text(int kind) {
  switch (kind) {
    case HOST_TO_HOST: return "host to host";
    case HOST_TO_DEVICE: return "host to device";
    case DEVICE_TO_HOST: return "device to host";
    case DEVICE_TO_DEVICE: return "device to device";
    default: return "default";
  }
}

// What a side of a copy is: device memory (whole range in one device allocation), host (page-locked or
// pageable), or an error (a range that starts in an allocation and leaves it, or touches a red zone).
enum class Side { DEVICE, HOST, BAD };

Side classify(const char* p, size_t pitch, size_t width, size_t height, std::string* why) {
  size_t span = height == 0 ? 0 : (height - 1) * pitch + width;
  const Allocation* a = overlapping(p, std::max<size_t>(span, 1));
  if (a == nullptr) return Side::HOST;
  if (p >= a->base && p + span <= a->end()) return a->kind == Kind::DEVICE ? Side::DEVICE : Side::HOST;
  long long from = p - a->base;
  *why = "bytes [" + std::to_string(from) + ", " + std::to_string(from + (long long)span) + ") of the " + kind_name(a->kind) +
         " " + hex(a->base) + " of " + size_text(a->bytes) + " (out of bounds)";
  return Side::BAD;
}

}  // namespace

int copy(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height, int kind, Stream* s,
         bool blocking, const char* call) {
  if (!live(s)) return report(INVALID_HANDLE, std::string(call) + ": not a live stream");
  if (int e = sticky(s)) return e;
  if (width == 0 || height == 0) return SUCCESS;
  if (height > 1 && (dpitch < width || spitch < width)) return report(INVALID_PITCH, std::string(call) + ": a pitch below the width");
  if (dst == nullptr || src == nullptr) return report(INVALID_VALUE, std::string(call) + ": a null pointer");
  auto* d = (char*)dst;
  auto* c = (const char*)src;
  std::string why;
  Side ds = classify(d, dpitch, width, height, &why);
  if (ds == Side::BAD) return report(INVALID_VALUE, std::string(call) + ": the destination is " + why);
  Side ss = classify(c, spitch, width, height, &why);
  if (ss == Side::BAD) return report(INVALID_VALUE, std::string(call) + ": the source is " + why);
  if (kind == DEFAULT) kind = ds == Side::DEVICE ? (ss == Side::DEVICE ? DEVICE_TO_DEVICE : HOST_TO_DEVICE)
                                                 : (ss == Side::DEVICE ? DEVICE_TO_HOST : HOST_TO_HOST);
  bool want_dst_device = kind == HOST_TO_DEVICE || kind == DEVICE_TO_DEVICE;
  bool want_src_device = kind == DEVICE_TO_HOST || kind == DEVICE_TO_DEVICE;
  if (kind < HOST_TO_HOST || kind > DEVICE_TO_DEVICE) return report(INVALID_MEMCPY_DIRECTION, std::string(call) + ": kind " + std::to_string(kind));
  if ((ds == Side::DEVICE) != want_dst_device || (ss == Side::DEVICE) != want_src_device) {
    return report(INVALID_MEMCPY_DIRECTION, std::string(call) + " " + kind_text(kind) + " of " + std::to_string(width * height) +
                                                " bytes: the destination is " + describe(d) + ", the source " + describe(c));
  }
  size_t dspan = (height - 1) * dpitch + width, sspan = (height - 1) * spitch + width;
  if (kind == HOST_TO_HOST) blocking = true;
  // Host memory a queued copy will write: poisoned until the copy runs, unless a queued copy still reads it.
  if (ds == Side::HOST && !blocking && !overlaps_pending(d, d + dspan)) {
    for (size_t r = 0; r < height; r++) std::memset(d + r * dpitch, 0xff, width);
  }
  uint64_t sum = 0, pending = 0;
  if (ss == Side::HOST && !blocking) {
    sum = checksum(c, spitch, width, height);
    pending = next_pending++;
    pending_sources.push_back({pending, Pending{c, c + sspan}});
  }
  std::string what = std::string(call) + " (" + kind_text(kind) + ", " + std::to_string(width * height) + " bytes, " + describe(c) +
                     " -> " + describe(d) + ")";
  Work work = [=]() -> Fault {
    if (pending != 0) {
      forget_pending(pending);
      if (checksum(c, spitch, width, height) != sum) {
        return Fault{ILLEGAL_ADDRESS, "the host source was changed after the copy was queued and before it ran (a staging "
                                      "buffer rewritten before its copy's event completed)"};
      }
    }
    for (size_t r = 0; r < height; r++) std::memmove(d + r * dpitch, c + r * spitch, width);
    return Fault{};
  };
  if (int e = enqueue(s, what, std::move(work))) return e;
  return blocking ? drain(s, UINT64_MAX) : SUCCESS;
}

int fill(void* dst, size_t pitch, int value, size_t width, size_t height, Stream* s, bool blocking, const char* call) {
  if (!live(s)) return report(INVALID_HANDLE, std::string(call) + ": not a live stream");
  if (int e = sticky(s)) return e;
  if (width == 0 || height == 0) return SUCCESS;
  if (height > 1 && pitch < width) return report(INVALID_PITCH, std::string(call) + ": a pitch below the width");
  auto* d = (char*)dst;
  std::string why;
  if (classify(d, pitch, width, height, &why) != Side::DEVICE) {
    return report(INVALID_VALUE, std::string(call) + ": the destination is " + (why.empty() ? describe(d) : why) + ", not device memory");
  }
  std::string what = std::string(call) + " (" + std::to_string(width * height) + " bytes at " + describe(d) + ")";
  if (int e = enqueue(s, what, [=]() -> Fault {
        for (size_t r = 0; r < height; r++) std::memset(d + r * pitch, value, width);
        return Fault{};
      }))
    return e;
  return blocking ? drain(s, UINT64_MAX) : SUCCESS;
}

}  // namespace ntemu
