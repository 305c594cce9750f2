// The cuDNN stand-ins (libcudnn_graph/ops/adv/cnn.so.9 and the libraries JavaCPP loads beside them): cuDNN is not
// emulated. Every call reports CUDNN_STATUS_NOT_SUPPORTED (the generated stubs), and these few say so in words, so
// that the engine's message reads "cuDNN is not emulated". Compiled into each cuDNN stand-in; each exports only the
// names its version script lists.
#include <cstring>
#include <string>

#include "emu.h"

namespace {
thread_local std::string text;
constexpr const char* kWhy = "cuDNN is not emulated: nexttrack's CUDA emulation runs the fused LSTM only; the cuDNN LSTM is "
                             "tested on a real GPU";
}  // namespace

extern "C" {

const char* cudnnGetErrorString(int status) {
  switch (status) {
    case 0: return "CUDNN_STATUS_SUCCESS";
    case 3000: text = std::string("CUDNN_STATUS_NOT_SUPPORTED (") + kWhy + ")"; break;
    default: text = "CUDNN_STATUS_" + std::to_string(status) + " (" + kWhy + ")";
  }
  text += ntemu::take_detail();
  return text.c_str();
}

void cudnnGetLastErrorString(char* message, size_t max) {
  if (message != nullptr && max > 0) {
    std::strncpy(message, kWhy, max - 1);
    message[max - 1] = '\0';
  }
}

// 0: no cuDNN (what a probe of the version sees here).
size_t cudnnGetVersion() { return 0; }
size_t cudnnGetCudartVersion() { return 13010; }

}  // extern "C"
