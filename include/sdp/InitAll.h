//===- InitAll.h - what sdp tools register ----------------------*- C++ -*-===//
//
// sdp tools register exactly the dialects, interfaces and passes that sdp's
// pipelines use, not everything upstream MLIR offers.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_INITALL_H
#define SDP_INITALL_H

namespace mlir {
class DialectRegistry;
namespace sdp {

/// Adds the sdp dialect, the upstream dialects its pipelines produce, and
/// the external interface models (bufferization, LLVM conversion and
/// translation) those pipelines need.
void registerAllDialects(DialectRegistry &registry);

/// Registers sdp's passes and pipelines and the upstream passes they use.
void registerAllPasses();

} // namespace sdp
} // namespace mlir

#endif // SDP_INITALL_H
