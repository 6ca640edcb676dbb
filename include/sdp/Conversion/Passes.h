//===- Passes.h - sdp conversion passes -------------------------*- C++ -*-===//

#ifndef SDP_CONVERSION_PASSES_H
#define SDP_CONVERSION_PASSES_H

#include "sdp/Conversion/MathToLibdevice.h"
#include "sdp/Conversion/NgramToSCF.h"
#include "sdp/Conversion/SdpToGPU.h"
#include "sdp/Conversion/SdpToLinalg.h"
#include "sdp/Conversion/SdpToSCF.h"
#include "sdp/Conversion/SdpVectorToLLVM.h"

namespace mlir::sdp {

#define GEN_PASS_REGISTRATION
#include "sdp/ConversionPasses.h.inc"

} // namespace mlir::sdp

#endif // SDP_CONVERSION_PASSES_H
