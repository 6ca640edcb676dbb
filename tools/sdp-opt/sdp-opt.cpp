//===- sdp-opt.cpp - the sdp pass driver ----------------------------------===//
//
// Like mlir-opt, restricted to the dialects and passes sdp uses.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "sdp/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::sdp::registerAllDialects(registry);
  mlir::sdp::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "sdp optimizer and pass driver\n", registry));
}
