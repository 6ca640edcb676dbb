//===- NgramOps.h - token n-gram tensor ops ---------------------*- C++ -*-===//

#ifndef SDP_DIALECT_NGRAMOPS_H
#define SDP_DIALECT_NGRAMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "sdp/Dialect/SdpDialect.h"

#include "sdp/Dialect/SemiringAttrs.h"

#define GET_OP_CLASSES
#include "sdp/NgramOps.h.inc"

#endif // SDP_DIALECT_NGRAMOPS_H
