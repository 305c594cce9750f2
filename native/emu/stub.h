#pragma once
// What native/emu/gen-stubs.sh generates for every function a JNI library imports: a weak definition that reports
// "not emulated: <name>" (once per name, on stderr, and in the next error string) and returns the library's "not
// supported" status. An emulated function's strong definition (driver.cpp, runtime.cpp, cublas.cpp, cudnn.cpp)
// takes its place at link time. Without a stub, the first call of a missing symbol would kill the JVM.
#include "emu.h"

#define NT_EMU_STUB(name, status) \
  extern "C" __attribute__((weak, visibility("default"))) int name() { return ntemu::not_emulated(#name, status); }
