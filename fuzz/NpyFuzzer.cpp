//===- NpyFuzzer.cpp - libFuzzer target: the .npy reader -----------------===//
//
// Any byte string must be read or rejected with an error message: no crash,
// no sanitizer report, no allocation the bytes cannot back.
//
//===----------------------------------------------------------------------===//

#include "sdp/Runtime/Tensor.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char *>(data), size),
                        std::ios::binary);
  sdp::runtime::Tensor tensor;
  std::string error;
  if (!sdp::runtime::readNpy(in, "input", tensor, error)) {
    // A rejection always says why.
    if (error.empty())
      std::abort();
    return 0;
  }
  // An accepted tensor's bytes all come from the input.
  if (tensor.numBytes() > size)
    std::abort();
  (void)tensor.describe();
  return 0;
}
