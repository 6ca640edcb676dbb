//===- SdpOps.h - sdp operations --------------------------------*- C++ -*-===//

#ifndef SDP_DIALECT_SDPOPS_H
#define SDP_DIALECT_SDPOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "sdp/Dialect/ContractionSpec.h"
#include "sdp/Dialect/SdpDialect.h"
#include "sdp/Dialect/SemiringAttrs.h"

#define GET_OP_CLASSES
#include "sdp/SdpOps.h.inc"

#endif // SDP_DIALECT_SDPOPS_H
