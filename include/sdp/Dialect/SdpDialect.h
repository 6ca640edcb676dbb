//===- SdpDialect.h - the sdp dialect ---------------------------*- C++ -*-===//

#ifndef SDP_DIALECT_SDPDIALECT_H
#define SDP_DIALECT_SDPDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "sdp/SdpDialect.h.inc"

#endif // SDP_DIALECT_SDPDIALECT_H
