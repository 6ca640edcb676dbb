//===- SemiringInterface.td - semiring attribute interface -*- tablegen -*-===//

#ifndef SDP_SEMIRING_INTERFACE_TD
#define SDP_SEMIRING_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Sdp_SemiringAttrInterface : AttrInterface<"SemiringAttrInterface"> {
  let cppNamespace = "::mlir::sdp";
  let description = [{
    A semiring (K, ⊕, ⊗, 0̄, 1̄) over scalar element types. Every sdp op that
    sums over alternatives and multiplies along a derivation takes one of these
    attributes; lowerings never inspect which semiring it is, they ask the
    attribute to build its constants and operations as `arith`/`math` ops.

    Optional hooks describe algebraic properties a lowering may exploit:

    * `isSelective`: ⊕ returns one of its operands (max, min, or), so a
      reduction has a witness (an argmax) and backpointers make sense;
    * `admitsExpShiftedReduction`: a ⊕-reduction of ⊗-products may be computed
      as max-shift → exp → real sum (or GEMM) → log, with one exp per term.
  }];

  let methods = [
    InterfaceMethod<
      "Returns true when scalars of `type` can hold values of this semiring.",
      "bool", "isValidElementType", (ins "::mlir::Type":$type)>,
    InterfaceMethod<
      "Materialises the additive identity 0̄ (the annihilator of ⊗).",
      "::mlir::Value", "buildZero",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Type":$type)>,
    InterfaceMethod<
      "Materialises the multiplicative identity 1̄.",
      "::mlir::Value", "buildOne",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Type":$type)>,
    InterfaceMethod<
      "Builds `lhs ⊕ rhs` on scalars.",
      "::mlir::Value", "buildAdd",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$lhs, "::mlir::Value":$rhs)>,
    InterfaceMethod<
      "Builds `lhs ⊗ rhs` on scalars.",
      "::mlir::Value", "buildMul",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$lhs, "::mlir::Value":$rhs)>,
    InterfaceMethod<
      "Builds the ⊕ of several scalars (at least one). By default a left "
      "fold of `buildAdd`; when `admitsExpShiftedReduction`, one max-shifted "
      "sum of exps and a single log (a shift of 0 when every term is -inf).",
      "::mlir::Value", "buildSum",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::ValueRange":$terms), "",
      "return ::mlir::sdp::detail::buildSemiringSum($_attr, builder, loc, "
      "terms);">,
    InterfaceMethod<
      "Returns true when ⊕ always returns one of its operands.",
      "bool", "isSelective", (ins), "", "return false;">,
    InterfaceMethod<
      "Returns true when a ⊕-reduction of ⊗-products may be computed as "
      "max-shift, exp, real sum, log.",
      "bool", "admitsExpShiftedReduction", (ins), "", "return false;">,
  ];
}

#endif // SDP_SEMIRING_INTERFACE_TD
