//===- Tensor.h - owned host tensors and .npy I/O ---------------*- C++ -*-===//
//
// Part of the sdp runtime: plain C++17, no MLIR or LLVM dependency, so
// compiled kernels and host programs can use it anywhere.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_RUNTIME_TENSOR_H
#define SDP_RUNTIME_TENSOR_H

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace sdp::runtime {

/// Element types that cross the host boundary.
enum class DType { F32, F64, I32, I64 };

/// Size in bytes of one element of `dtype`.
size_t dtypeSize(DType dtype);
/// Short name: "f32", "f64", "i32", "i64".
const char *dtypeName(DType dtype);

/// A dense, C-ordered array in memory somebody else owns: what host code
/// passes to compiled functions without copying.
struct TensorView {
  DType dtype = DType::F32;
  const void *data = nullptr;
  std::vector<int64_t> shape;

  TensorView() = default;
  TensorView(DType dtype, const void *data, std::vector<int64_t> shape)
      : dtype(dtype), data(data), shape(std::move(shape)) {}
  TensorView(const float *data, std::vector<int64_t> shape)
      : TensorView(DType::F32, data, std::move(shape)) {}
  TensorView(const double *data, std::vector<int64_t> shape)
      : TensorView(DType::F64, data, std::move(shape)) {}
  TensorView(const int32_t *data, std::vector<int64_t> shape)
      : TensorView(DType::I32, data, std::move(shape)) {}
  TensorView(const int64_t *data, std::vector<int64_t> shape)
      : TensorView(DType::I64, data, std::move(shape)) {}

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// "f32[16x512x64]"
  std::string describe() const;
};

/// A dense, C-ordered host tensor that owns 64-byte aligned storage.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, std::vector<int64_t> shape);
  /// Takes ownership of a C-ordered buffer at `data` inside the block
  /// `allocation` that lowered code allocated (released to the runtime's
  /// buffer cache when the tensor dies).
  static Tensor adopt(DType dtype, std::vector<int64_t> shape, void *data,
                      void *allocation);
  /// A tensor whose storage comes from (and returns to) the runtime's
  /// buffer cache, as the buffers of compiled code do: a large result made
  /// again on every call is then not faulted in again each time.
  static Tensor allocateCached(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t numElements() const;
  size_t numBytes() const { return numElements() * dtypeSize(dtype_); }
  void *data() { return data_.get(); }
  const void *data() const { return data_.get(); }
  template <typename T> T *data() { return static_cast<T *>(data()); }
  template <typename T> const T *data() const {
    return static_cast<const T *>(data());
  }
  /// "f32[16x512x64]"
  std::string describe() const;
  /// A view of this tensor's storage.
  TensorView view() const { return TensorView(dtype_, data(), shape_); }

private:
  struct FreeDeleter {
    FreeDeleter() : allocation(nullptr) {}
    explicit FreeDeleter(void *allocation) : allocation(allocation) {}
    void operator()(void *p) const;
    /// The block of an adopted buffer (see adopt), else null.
    void *allocation;
  };
  DType dtype_ = DType::F32;
  std::vector<int64_t> shape_;
  std::unique_ptr<void, FreeDeleter> data_;
};

/// Reads a C-ordered little-endian .npy file of f4, f8, i4 or i8 elements.
/// On failure returns false and sets `error` to a message naming the file.
bool readNpy(const std::string &path, Tensor &out, std::string &error);
/// The same from a stream; `path` names it in errors.
bool readNpy(std::istream &in, const std::string &path, Tensor &out,
             std::string &error);

/// Writes `tensor` as a version 1.0 .npy file.
bool writeNpy(const std::string &path, const Tensor &tensor,
              std::string &error);

} // namespace sdp::runtime

#endif // SDP_RUNTIME_TENSOR_H
