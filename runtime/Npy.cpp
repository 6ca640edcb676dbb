//===- Npy.cpp - .npy tensor files ----------------------------------------===//
//
// The NumPy format: magic "\x93NUMPY", a version, a header length, then a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (..)}
// padded with spaces to an aligned size, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "sdp/Runtime/Tensor.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sdp::runtime {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
/// NumPy's own loader refuses headers over 10,000 bytes by default; sdp
/// accepts up to 1 MiB (shapes of any rank fit in far less).
constexpr uint32_t kMaxHeaderSize = 1 << 20;

bool fail(std::string &error, const std::string &path,
          const std::string &message) {
  error = path + ": " + message;
  return false;
}

/// Returns the text after `'key':` in the header dict, or npos.
size_t findValue(const std::string &header, const std::string &key) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return pos;
  pos = header.find(':', pos);
  if (pos == std::string::npos)
    return pos;
  ++pos;
  while (pos < header.size() &&
         std::isspace(static_cast<unsigned char>(header[pos])))
    ++pos;
  return pos;
}

bool parseDescr(const std::string &descr, DType &dtype) {
  // '<' little-endian, '|' not applicable, '=' native (little on x86).
  if (descr.size() != 3 ||
      (descr[0] != '<' && descr[0] != '=' && descr[0] != '|'))
    return false;
  std::string kind = descr.substr(1);
  if (kind == "f4")
    dtype = DType::F32;
  else if (kind == "f8")
    dtype = DType::F64;
  else if (kind == "i4")
    dtype = DType::I32;
  else if (kind == "i8")
    dtype = DType::I64;
  else
    return false;
  return true;
}

} // namespace

bool readNpy(const std::string &path, Tensor &out, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(error, path, "cannot open file");
  return readNpy(in, path, out, error);
}

bool readNpy(std::istream &in, const std::string &path, Tensor &out,
             std::string &error) {
  char prefix[8];
  if (!in.read(prefix, 8) || std::memcmp(prefix, kMagic, kMagicSize) != 0)
    return fail(error, path, "not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(prefix[6]);
  uint32_t headerLen = 0;
  if (major == 1) {
    unsigned char len[2];
    if (!in.read(reinterpret_cast<char *>(len), 2))
      return fail(error, path, "truncated header");
    headerLen = len[0] | (len[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char len[4];
    if (!in.read(reinterpret_cast<char *>(len), 4))
      return fail(error, path, "truncated header");
    headerLen = len[0] | (len[1] << 8) | (len[2] << 16) |
                (static_cast<uint32_t>(len[3]) << 24);
  } else {
    return fail(error, path,
                "unsupported .npy version " + std::to_string(major));
  }
  // The header length is checked before its buffer is allocated: a version
  // 2 file may claim up to 4 GiB of header in 12 bytes.
  std::streampos headerStart = in.tellg();
  if (headerStart < 0)
    return fail(error, path,
                "cannot seek in it (a pipe?): .npy input must "
                "be a file");
  in.seekg(0, std::ios::end);
  uint64_t remaining = static_cast<uint64_t>(in.tellg() - headerStart);
  in.seekg(headerStart);
  if (headerLen > remaining)
    return fail(error, path,
                "truncated header (it claims " + std::to_string(headerLen) +
                    " bytes, the file holds " + std::to_string(remaining) +
                    " after the length field)");
  if (headerLen > kMaxHeaderSize)
    return fail(error, path,
                "header of " + std::to_string(headerLen) +
                    " bytes is longer than sdp reads (" +
                    std::to_string(kMaxHeaderSize) + ")");
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen))
    return fail(error, path, "truncated header");

  size_t pos = findValue(header, "descr");
  if (pos == std::string::npos || pos >= header.size() ||
      (header[pos] != '\'' && header[pos] != '"'))
    return fail(error, path, "header has no 'descr'");
  size_t end = header.find(header[pos], pos + 1);
  if (end == std::string::npos)
    return fail(error, path, "malformed 'descr'");
  std::string descr = header.substr(pos + 1, end - pos - 1);
  DType dtype;
  if (!parseDescr(descr, dtype))
    return fail(error, path,
                "unsupported dtype '" + descr +
                    "' (expected little-endian float32, float64, int32 or "
                    "int64)");

  pos = findValue(header, "fortran_order");
  if (pos == std::string::npos)
    return fail(error, path, "header has no 'fortran_order'");
  if (header.compare(pos, 5, "False") != 0)
    return fail(error, path,
                "Fortran-ordered arrays are not supported (save a C-ordered "
                "array, e.g. numpy.ascontiguousarray)");

  pos = findValue(header, "shape");
  if (pos == std::string::npos || header[pos] != '(')
    return fail(error, path, "header has no 'shape'");
  end = header.find(')', pos);
  if (end == std::string::npos)
    return fail(error, path, "malformed 'shape'");
  std::vector<int64_t> shape;
  std::stringstream dims(header.substr(pos + 1, end - pos - 1));
  std::string dim;
  while (std::getline(dims, dim, ',')) {
    size_t first = dim.find_first_not_of(" \t");
    if (first == std::string::npos)
      continue;
    char *parseEnd = nullptr;
    errno = 0;
    long long value = std::strtoll(dim.c_str() + first, &parseEnd, 10);
    if (parseEnd == dim.c_str() + first || value < 0 || errno == ERANGE)
      return fail(error, path, "malformed 'shape'");
    shape.push_back(value);
  }

  // The header is checked against the file before anything is allocated: a
  // hostile or damaged header must not make the reader allocate (or
  // overflow) what the file cannot hold.
  // Sizes whose product overflows are rejected even when another size is 0
  // (no elements): strides and offsets are computed from every size.
  uint64_t bytes = dtypeSize(dtype), extent = 1;
  std::string shapeText;
  for (int64_t d : shape) {
    shapeText += (shapeText.empty() ? "" : ", ") + std::to_string(d);
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(d), &bytes))
      bytes = UINT64_MAX;
    if (d != 0 &&
        __builtin_mul_overflow(extent, static_cast<uint64_t>(d), &extent))
      extent = UINT64_MAX;
  }
  std::streampos dataStart = in.tellg();
  in.seekg(0, std::ios::end);
  uint64_t available = static_cast<uint64_t>(in.tellg() - dataStart);
  in.seekg(dataStart);
  if (bytes > available)
    return fail(error, path,
                "its header's shape (" + shapeText + ") of " + descr +
                    " needs " +
                    (bytes == UINT64_MAX ? std::string("more than 2^64")
                                         : std::to_string(bytes)) +
                    " bytes but the file holds " + std::to_string(available) +
                    " after the header");

  if (extent > static_cast<uint64_t>(INT64_MAX) / dtypeSize(dtype))
    return fail(error, path,
                "its header's shape (" + shapeText + ") of " + descr +
                    " spans more than 2^63 bytes (sizes other than 0 multiply "
                    "past it)");

  Tensor tensor(dtype, std::move(shape));
  if (!in.read(static_cast<char *>(tensor.data()), tensor.numBytes()))
    return fail(error, path,
                "file holds fewer bytes than its shape " + tensor.describe() +
                    " needs");
  out = std::move(tensor);
  return true;
}

bool writeNpy(const std::string &path, const Tensor &tensor,
              std::string &error) {
  static const char *descrs[] = {"<f4", "<f8", "<i4", "<i8"};
  std::string header = "{'descr': '";
  header += descrs[static_cast<int>(tensor.dtype())];
  header += "', 'fortran_order': False, 'shape': (";
  for (int64_t i = 0; i < tensor.rank(); ++i)
    header += (i ? ", " : "") + std::to_string(tensor.shape()[i]);
  if (tensor.rank() == 1)
    header += ","; // (n,) is a tuple, (n) is not
  header += "), }";
  // Pad with spaces so that data starts at a multiple of 64, then '\n'.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::ofstream outFile(path, std::ios::binary);
  if (!outFile)
    return fail(error, path, "cannot create file");
  outFile.write(kMagic, kMagicSize);
  char version[2] = {1, 0};
  outFile.write(version, 2);
  unsigned char len[2] = {static_cast<unsigned char>(header.size() & 0xff),
                          static_cast<unsigned char>(header.size() >> 8)};
  outFile.write(reinterpret_cast<char *>(len), 2);
  outFile.write(header.data(), header.size());
  outFile.write(static_cast<const char *>(tensor.data()), tensor.numBytes());
  if (!outFile)
    return fail(error, path, "write failed");
  return true;
}

} // namespace sdp::runtime
