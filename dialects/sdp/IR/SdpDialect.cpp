//===- SdpDialect.cpp - the sdp dialect -----------------------------------===//

#include "sdp/Dialect/SdpDialect.h"

#include "sdp/Dialect/NgramOps.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Dialect/SemiringAttrs.h"

using namespace mlir;
using namespace mlir::sdp;

#include "sdp/SdpDialect.cpp.inc"

void SdpDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sdp/SdpOps.cpp.inc"
      >();
  registerAttributes();
  registerNgramOps();
}
