//===- SdpBase.td - sdp dialect definition -----------------*- tablegen -*-===//
//
// The sdp dialect: semiring dynamic programs and token n-gram tensor ops.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_BASE_TD
#define SDP_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Sdp_Dialect : Dialect {
  let name = "sdp";
  let cppNamespace = "::mlir::sdp";
  let summary = "Semiring dynamic programs and token n-gram tensor ops";
  let description = [{
    The `sdp` dialect expresses dynamic programs over semirings (linear-chain
    CRFs and HMMs, segmentations, alignments, parse trees) and n-gram tensor
    operations on token IDs.

    The dialect is layered the way `linalg` is: named ops that users reach for
    decompose into a small generic core, and every pass after decomposition
    serves user-written recurrences too. The generic core is

    * `sdp.contract`: an einsum whose sum and product are the ⊕ and ⊗ of a
      semiring;
    * `sdp.scan`: a sequential recurrence along one axis of its inputs, carrying
      state through a body region.

    Semirings are attributes (`#sdp.log`, `#sdp.max`, `#sdp.min`, `#sdp.real`,
    `#sdp.bool`) that implement `SemiringAttrInterface`. Semiring-specific
    arithmetic lives only in those attributes: lowerings ask the attribute to
    materialise zero, one, ⊕ and ⊗ as `arith`/`math` operations.

    The dialect declares one discardable attribute:

    * `sdp.no_gradient` (unit): the results of the op that carries it have
      no cotangent. Decompositions put it on a value whose derivative cancels
      exactly, such as the max that shifts a log-sum-exp
      (`log Σ exp(x - m) + m` does not depend on `m`), so that the adjoint
      transform (`-sdp-generate-adjoints`) neither differentiates nor records
      it. It changes no forward value; dropping it only costs the adjoint
      time.
  }];
  let discardableAttrs = (ins "::mlir::UnitAttr":$no_gradient);
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerNgramOps();
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

class Sdp_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sdp_Dialect, mnemonic, traits>;

#endif // SDP_BASE_TD
