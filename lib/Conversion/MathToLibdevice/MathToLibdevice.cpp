//===- MathToLibdevice.cpp - math ops as libdevice calls ------------------===//
//
// libdevice names a function per op and type: __nv_exp (f64), __nv_expf
// (f32). The calls and declarations are LLVM dialect ops from the start
// (as convert-gpu-to-nvvm's own libdevice lowering makes them): a func.func
// declaration would get a C-interface wrapper from the host's func lowering.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/MathToLibdevice.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTMATHTOLIBDEVICEPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// A unary math op on f32 or f64 → call @__nv_<name>[f].
template <typename Op> struct UnaryToLibdevice : OpRewritePattern<Op> {
  UnaryToLibdevice(MLIRContext *context, StringRef name)
      : OpRewritePattern<Op>(context), name(name) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!type.isF32() && !type.isF64())
      return rewriter.notifyMatchFailure(op, "not a scalar f32/f64");
    auto module = op->template getParentOfType<gpu::GPUModuleOp>();
    if (!module)
      return rewriter.notifyMatchFailure(op, "not in a gpu.module");
    std::string callee = ("__nv_" + name + (type.isF32() ? "f" : "")).str();
    auto decl = dyn_cast_or_null<LLVM::LLVMFuncOp>(
        SymbolTable::lookupSymbolIn(module, callee));
    if (!decl) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(module.getBody());
      decl =
          LLVM::LLVMFuncOp::create(rewriter, module.getLoc(), callee,
                                   LLVM::LLVMFunctionType::get(type, {type}));
    }
    rewriter.replaceOpWithNewOp<LLVM::CallOp>(op, decl, op->getOperands());
    return success();
  }

  StringRef name;
};

struct ConvertMathToLibdevicePass
    : mlir::sdp::impl::ConvertMathToLibdevicePassBase<
          ConvertMathToLibdevicePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    sdp::populateMathToLibdevicePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::sdp::populateMathToLibdevicePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<UnaryToLibdevice<math::ExpOp>>(context, "exp");
  patterns.add<UnaryToLibdevice<math::Exp2Op>>(context, "exp2");
  patterns.add<UnaryToLibdevice<math::ExpM1Op>>(context, "expm1");
  patterns.add<UnaryToLibdevice<math::LogOp>>(context, "log");
  patterns.add<UnaryToLibdevice<math::Log2Op>>(context, "log2");
  patterns.add<UnaryToLibdevice<math::Log10Op>>(context, "log10");
  patterns.add<UnaryToLibdevice<math::Log1pOp>>(context, "log1p");
  patterns.add<UnaryToLibdevice<math::TanhOp>>(context, "tanh");
  patterns.add<UnaryToLibdevice<math::SinOp>>(context, "sin");
  patterns.add<UnaryToLibdevice<math::CosOp>>(context, "cos");
  patterns.add<UnaryToLibdevice<math::ErfOp>>(context, "erf");
}
