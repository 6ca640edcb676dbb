//===- Tensor.cpp - owned host tensors ------------------------------------===//

#include "sdp/Runtime/Tensor.h"

#include <cstdint>

#include <cstdio>
#include <cstdlib>

namespace sdp::runtime {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  return 0;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "?";
}

extern "C" void _mlir_memref_to_llvm_free(void *pointer);
extern "C" void *_mlir_memref_to_llvm_alloc(size_t size);

void Tensor::FreeDeleter::operator()(void *p) const {
  // An adopted block goes back to the buffer cache (BufferCache.cpp), so
  // that the next call's result of that size is not faulted in again.
  if (allocation)
    _mlir_memref_to_llvm_free(allocation);
  else
    std::free(p);
}

Tensor Tensor::adopt(DType dtype, std::vector<int64_t> shape, void *data,
                     void *allocation) {
  Tensor tensor;
  tensor.dtype_ = dtype;
  tensor.shape_ = std::move(shape);
  tensor.data_ =
      std::unique_ptr<void, FreeDeleter>(data, FreeDeleter(allocation));
  return tensor;
}

Tensor Tensor::allocateCached(DType dtype, std::vector<int64_t> shape) {
  Tensor probe;
  probe.dtype_ = dtype;
  probe.shape_ = shape;
  size_t bytes = probe.numBytes();
  // 64-byte aligned inside a block of the cache's allocation function.
  char *block = static_cast<char *>(_mlir_memref_to_llvm_alloc(bytes + 64));
  if (!block) {
    std::fprintf(stderr, "sdp runtime: out of memory allocating %s\n",
                 probe.describe().c_str());
    std::abort();
  }
  auto address = reinterpret_cast<uintptr_t>(block);
  char *aligned = block + (64 - address % 64) % 64;
  return adopt(dtype, std::move(shape), aligned, block);
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  // Round up: aligned_alloc wants a multiple of the alignment, and an empty
  // tensor still gets a valid pointer.
  size_t bytes = (numBytes() + 63) / 64 * 64;
  data_.reset(std::aligned_alloc(64, bytes ? bytes : 64));
  if (!data_) {
    std::fprintf(stderr, "sdp runtime: out of memory allocating %s\n",
                 describe().c_str());
    std::abort();
  }
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape_)
    n *= d;
  return n;
}

static std::string describeShape(DType dtype,
                                 const std::vector<int64_t> &shape) {
  std::string s = dtypeName(dtype);
  s += "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += "x";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string Tensor::describe() const { return describeShape(dtype_, shape_); }

std::string TensorView::describe() const { return describeShape(dtype, shape); }

} // namespace sdp::runtime
