//===- SemiringAttrs.td - the semiring attributes ----------*- tablegen -*-===//
//
// Adding a semiring is one definition here, its C++ arithmetic in
// IR/SemiringAttrs.cpp, and its tests.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_SEMIRING_ATTRS_TD
#define SDP_SEMIRING_ATTRS_TD

include "sdp/SdpBase.td"
include "sdp/SemiringInterface.td"

class Sdp_SemiringAttr<string name, string attrMnemonic,
                       list<string> overriddenHooks = []>
    : AttrDef<Sdp_Dialect, name # "Semiring",
              [DeclareAttrInterfaceMethods<Sdp_SemiringAttrInterface,
                                           overriddenHooks>]> {
  let mnemonic = attrMnemonic;
}

def Sdp_LogSemiringAttr : Sdp_SemiringAttr<"Log", "log",
                                            ["admitsExpShiftedReduction"]> {
  let summary = "log semiring (logaddexp, +, -inf, 0)";
  let description = [{
    Scores are log-probabilities: `a ⊕ b = log(exp a + exp b)`, `a ⊗ b = a + b`,
    0̄ = -inf, 1̄ = 0. A contraction in this semiring computes a log-partition
    function. ⊕ is evaluated stably as `max(a, b) + log1p(exp(-|a - b|))`, and
    returns -inf when both operands are -inf. Valid on floating-point types.

    ```mlir
    #sdp.log
    ```
  }];
}

def Sdp_MaxSemiringAttr : Sdp_SemiringAttr<"Max", "max", ["isSelective"]> {
  let summary = "max-plus (Viterbi) semiring (max, +, -inf, 0)";
  let description = [{
    `a ⊕ b = max(a, b)`, `a ⊗ b = a + b`, 0̄ = -inf, 1̄ = 0. A contraction in
    this semiring computes the best (Viterbi) score. ⊕ is selective, so a
    lowering may record argmax backpointers. ⊕ is IEEE maxNum: a NaN operand
    is ignored, which keeps it a single vector instruction on x86; the
    structures keep a NaN they read from vanishing (flags, or for the
    alignment grid a NaN-propagating maximum). Valid on floating-point
    types.

    ```mlir
    #sdp.max
    ```
  }];
}

def Sdp_MinSemiringAttr : Sdp_SemiringAttr<"Min", "min", ["isSelective"]> {
  let summary = "min-plus (tropical) semiring (min, +, +inf, 0)";
  let description = [{
    `a ⊕ b = min(a, b)`, `a ⊗ b = a + b`, 0̄ = +inf, 1̄ = 0: shortest paths,
    edit distances, DTW. ⊕ is selective and IEEE minNum (a NaN operand is
    ignored; the structures keep a NaN they read from vanishing, as under
    `#sdp.max`). Valid on floating-point types.

    ```mlir
    #sdp.min
    ```
  }];
}

def Sdp_RealSemiringAttr : Sdp_SemiringAttr<"Real", "real"> {
  let summary = "probability semiring (+, ×, 0, 1)";
  let description = [{
    Ordinary arithmetic: `a ⊕ b = a + b`, `a ⊗ b = a × b`, 0̄ = 0, 1̄ = 1. Valid
    on floating-point types. ⊕ and ⊗ carry the `contract` fast-math flag:
    a term `acc ⊕ (a ⊗ b)` of a contraction may be computed as one fused
    multiply-add, rounded once (`sdp-fuse-multiply-add` in the CPU
    pipeline).

    ```mlir
    #sdp.real
    ```
  }];
}

def Sdp_BoolSemiringAttr : Sdp_SemiringAttr<"Bool", "bool", ["isSelective"]> {
  let summary = "boolean semiring (or, and, false, true)";
  let description = [{
    Reachability: `a ⊕ b = a ∨ b`, `a ⊗ b = a ∧ b`, 0̄ = false, 1̄ = true. Valid
    on `i1` only.

    ```mlir
    #sdp.bool
    ```
  }];
}

#endif // SDP_SEMIRING_ATTRS_TD
