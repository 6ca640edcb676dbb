//===- AdjointEmitter.h - reverse-mode state and helpers --------*- C++ -*-===//
//
// Private to lib/Transforms/Adjoint. A function's adjoint is emitted in two
// sweeps into one block: the forward sweep re-emits the primal ops (scans
// additionally record their carried state per step, the tape), then the
// backward sweep walks the primal ops in reverse and emits, for each, the
// cotangents of its operands from the cotangents of its results.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_TRANSFORMS_ADJOINT_ADJOINTEMITTER_H
#define SDP_LIB_TRANSFORMS_ADJOINT_ADJOINTEMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp::adjoint {

bool isDifferentiable(Type type);

/// The values of one region being differentiated: where each primal value's
/// forward-sweep copy is and what cotangent has been gathered for it.
struct Frame {
  explicit Frame(Frame *parent = nullptr) : parent(parent) {}

  /// The forward-sweep value of primal `v` visible at the insertion point:
  /// this frame's copy, else the enclosing frame's (or `v` itself when it
  /// was never remapped, e.g. a value defined above everything).
  Value lookup(Value v) const {
    if (Value mapped = forward.lookupOrNull(v))
      return mapped;
    return parent ? parent->lookup(v) : v;
  }

  Frame *parent;
  IRMapping forward;
  /// Accumulated cotangents of primal values (absent: zero).
  llvm::DenseMap<Value, Value> cotangents;
  /// Per primal scan: the forward sweep's tapes, one per float carried value.
  llvm::DenseMap<Operation *, SmallVector<Value>> tapes;
  /// Primal scans whose tapes hold only every K-th state.
  llvm::DenseSet<Operation *> checkpointed;
  /// Primal values (write_once tables and their updates inside a reverse
  /// step) whose forward copy is the table's final value: re-running an
  /// update of them writes what the table already holds, so it is skipped.
  llvm::DenseSet<Value> finalTables;
  bool isFinalTable(Value v) const {
    return finalTables.contains(v) || (parent && parent->isFinalTable(v));
  }
  /// Per primal selective contraction without a witness result: the witness
  /// its forward-sweep copy computes.
  llvm::DenseMap<Operation *, Value> witnesses;
  /// Per primal scan: the contractions of its body whose per-step results
  /// the forward sweep records, each with its tape ([N, result shape]).
  llvm::DenseMap<Operation *, SmallVector<std::pair<Operation *, Value>>>
      resultTapes;
  /// Inside a reverse step: primal ops whose forward value is this step's
  /// slice of a result tape, read instead of recomputed.
  llvm::DenseMap<Operation *, Value> recorded;
  /// Per primal scan in a branch of an scf.if: what the forward sweep's
  /// copy of the if returned for it (its results, then its tapes, then its
  /// result tapes), so that the backward sweep's re-run of the branch
  /// does not run the scan again.
  struct RecordedScan {
    SmallVector<Value> results, tapes;
    SmallVector<std::pair<Operation *, Value>> resultTapes;
    bool checkpointed = false;
  };
  llvm::DenseMap<Operation *, RecordedScan> recordedScans;
  const RecordedScan *lookupRecordedScan(Operation *scan) const {
    auto it = recordedScans.find(scan);
    if (it != recordedScans.end())
      return &it->second;
    return parent ? parent->lookupRecordedScan(scan) : nullptr;
  }
};

/// Emits forward and backward sweeps. Every method emits at `b`'s insertion
/// point.
class Emitter {
public:
  /// `checkpointEvery` > 0 keeps a forward scan's state only every that
  /// many steps; the reverse re-runs each segment from its checkpoint.
  Emitter(OpBuilder &b, Location loc, int64_t checkpointEvery = 0)
      : b(b), loc(loc), checkpointEvery(checkpointEvery) {}

  /// Re-emits `ops` (primal, in order) into `frame.forward`. With
  /// `recordTapes`, scans record their tapes and selective contractions
  /// their witnesses, as the backward sweep needs them; without, ops are
  /// plain copies (a scan body's forward copy: its reverse recomputes).
  LogicalResult emitForward(iterator_range<Block::iterator> ops, Frame &frame,
                            bool recordTapes);
  /// Walks `ops` in reverse, turning the cotangents of results in `frame`
  /// into cotangents of operands.
  LogicalResult emitBackward(iterator_range<Block::iterator> ops, Frame &frame);

  /// Clones primal `op` into `frame.forward`.
  void cloneForward(Operation &op, Frame &frame);
  /// Adds `cotangent` to the cotangent of primal `value`.
  void accumulate(Frame &frame, Value value, Value cotangent);

  /// Restricts cotangents to `active` primal values: the float tensors that
  /// depend on a float argument of the function (see findActiveValues).
  void setActiveValues(const llvm::DenseSet<Value> *values) { active = values; }
  /// True when primal `value` carries a cotangent: a float tensor that
  /// depends on a differentiated argument. Float tensors computed from
  /// integers alone (masks, indicators) carry none.
  bool isActive(Value value) const {
    return isDifferentiable(value.getType()) &&
           (!active || active->contains(value));
  }

  //===--------------------------------------------------------------------===//
  // Tensor helpers shared by the rules
  //===--------------------------------------------------------------------===//

  /// A tensor of zeros shaped like `like` (same type).
  Value zerosLike(Value like);
  /// An uninitialised tensor of `type` whose dynamic sizes are read from
  /// `like` (for outputs every element of which is written).
  Value emptyOfType(RankedTensorType type, Value like);
  /// An uninitialised tensor shaped like `like` (same type).
  Value emptyLike(Value like);
  /// A tensor of zeros of `type` whose dynamic sizes are read from `like`.
  Value zerosOfType(RankedTensorType type, Value like);
  /// Element-wise x + y (y cast to x's type first).
  Value add(Value x, Value y);
  /// `value` cast to `type` where they differ.
  Value castTo(Value value, Type type);
  /// A float constant of `type`.
  Value floatConstant(OpBuilder &nb, Type type, double value);
  /// select(cotangent == 0, 0, cotangent * partial): a zero cotangent wins
  /// over an infinite or NaN partial, so impossible terms stay exactly 0.
  Value strongProduct(OpBuilder &nb, Value cotangent, Value partial);

  OpBuilder &builder() { return b; }
  Location getLoc() const { return loc; }

private:
  LogicalResult emitForwardScan(ScanOp scan, Frame &frame);
  /// The forward sweep of an scf.if whose branches hold scans: each branch
  /// runs them with tapes, and the if returns their results and tapes (the
  /// branch not taken returns empty placeholders) for emitBackwardIf.
  LogicalResult emitForwardIf(scf::IfOp ifOp, Frame &frame);
  /// Whether the forward sweep records `op`'s per-step result (`op` is in a
  /// scan body) so that reverse steps need not recompute it.
  bool shouldRecordResult(ContractOp op) const;
  /// The size of dimension `dim` of `value` (of `scan`'s body) as a value
  /// computed before the scan, or null when it is not derivable there.
  OpFoldResult sizeBeforeScan(ScanOp scan, Frame &frame, Value value,
                              unsigned dim, unsigned depth = 0);
  LogicalResult emitBackwardScan(ScanOp scan, Frame &frame);
  LogicalResult emitBackwardOp(Operation *op, Frame &frame);
  LogicalResult emitBackwardIf(scf::IfOp ifOp, Frame &frame);

  /// Re-runs the checkpointed segment ending at reverse step `t` into the
  /// per-segment tapes `locals` (returned, unchanged between segment ends).
  SmallVector<Value> rerunSegment(ScanOp scan, Frame &frame,
                                  ArrayRef<Value> checkpoints,
                                  ValueRange locals, ValueRange sequences,
                                  Value t, Value every, Value steps);

  OpBuilder &b;
  Location loc;
  int64_t checkpointEvery;
  const llvm::DenseSet<Value> *active = nullptr;
};

/// The rules for sdp.contract (ContractAdjoint.cpp). `op` is primal.
LogicalResult emitContractAdjoint(Emitter &emitter, ContractOp op,
                                  Frame &frame);
/// Emits the forward copy of `op`, adding a witness when the backward sweep
/// will need one (ContractAdjoint.cpp).
LogicalResult emitContractForward(Emitter &emitter, ContractOp op,
                                  Frame &frame);

/// The rule for element-wise linalg.generic ops (ElementwiseAdjoint.cpp).
LogicalResult emitGenericAdjoint(Emitter &emitter, linalg::GenericOp op,
                                 Frame &frame);

/// The closed-form adjoints of the dense linear algebra ops
/// (LinearAlgebraAdjoint.cpp).
LogicalResult emitLogDetAdjoint(Emitter &emitter, LogDetOp op, Frame &frame);
LogicalResult emitInverseAdjoint(Emitter &emitter, InverseOp op, Frame &frame);

/// True for ranked tensors of floats: the values that may carry cotangents.
bool isDifferentiable(Type type);

/// True when `op` carries sdp.no_gradient: its results are constants to the
/// adjoint.
inline bool hasNoGradient(Operation *op) {
  return SdpDialect::NoGradientAttrHelper(op->getContext()).isAttrPresent(op);
}

/// The float tensors of `func` that depend on its float arguments, through
/// operands, values read from above inside regions, and region arguments.
llvm::DenseSet<Value> findActiveValues(func::FuncOp func);

} // namespace mlir::sdp::adjoint

#endif // SDP_LIB_TRANSFORMS_ADJOINT_ADJOINTEMITTER_H
