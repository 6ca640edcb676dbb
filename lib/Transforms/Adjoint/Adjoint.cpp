//===- Adjoint.cpp - reverse-mode differentiation of the sdp core ---------===//
//
// The driver (a function's adjoint), scans, and the tensor plumbing ops.
// Contractions and element-wise ops have files of their own.
//
// A scan's adjoint is a scan in the other direction. The forward sweep
// records each step's incoming carried state in a tape ([N, carried shape]);
// each reverse step re-runs the primal body from the tape (nothing per term
// is stored) and then that body's adjoint, carrying the cotangents of the
// carried state, of the values the body reads from above, and of the
// sequences (written one slice per step).
//
//===----------------------------------------------------------------------===//

#include "sdp/Transforms/Adjoint.h"

#include "../CoreBuilders.h"
#include "AdjointEmitter.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::adjoint;

bool adjoint::isDifferentiable(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType());
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value Emitter::castTo(Value value, Type type) {
  return sdp::castTo(b, loc, value, type);
}

Value Emitter::floatConstant(OpBuilder &nb, Type type, double value) {
  return arith::ConstantOp::create(nb, loc, type, nb.getFloatAttr(type, value));
}

/// An uninitialised tensor of `elementType` with `like`'s (dynamic) sizes.
static Value emptyWithSizesOf(OpBuilder &b, Location loc, Type elementType,
                              Value like) {
  return tensor::EmptyOp::create(b, loc, tensor::getMixedSizes(b, loc, like),
                                 elementType);
}

Value Emitter::emptyOfType(RankedTensorType type, Value like) {
  return castTo(emptyWithSizesOf(b, loc, type.getElementType(), like), type);
}

Value Emitter::emptyLike(Value like) {
  return emptyOfType(cast<RankedTensorType>(like.getType()), like);
}

Value Emitter::zerosOfType(RankedTensorType type, Value like) {
  Value empty = emptyWithSizesOf(b, loc, type.getElementType(), like);
  Value zero = floatConstant(b, type.getElementType(), 0.0);
  Value zeros = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  return castTo(zeros, type);
}

Value Emitter::zerosLike(Value like) {
  return zerosOfType(cast<RankedTensorType>(like.getType()), like);
}

Value Emitter::add(Value x, Value y) {
  auto type = cast<RankedTensorType>(x.getType());
  y = castTo(y, type);
  Value init = emptyLike(x);
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(),
                                            utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{x, y}, init,
             SmallVector<AffineMap>(3, identity), parallel,
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l,
                   arith::AddFOp::create(nb, l, args[0], args[1]).getResult());
             })
      .getResult(0);
}

Value Emitter::strongProduct(OpBuilder &nb, Value cotangent, Value partial) {
  Type type = cotangent.getType();
  Value zero = floatConstant(nb, type, 0.0);
  Value isZero = arith::CmpFOp::create(nb, loc, arith::CmpFPredicate::OEQ,
                                       cotangent, zero);
  Value product = arith::MulFOp::create(nb, loc, cotangent, partial);
  return arith::SelectOp::create(nb, loc, isZero, zero, product);
}

void Emitter::accumulate(Frame &frame, Value value, Value cotangent) {
  if (!cotangent || !isActive(value))
    return;
  cotangent = castTo(cotangent, value.getType());
  Value &slot = frame.cotangents[value];
  slot = slot ? add(slot, cotangent) : cotangent;
}

/// Active float tensors that ops in `region` read from above it.
static llvm::SetVector<Value> getCapturedFloats(Region &region,
                                                const Emitter &emitter) {
  llvm::SetVector<Value> captured;
  region.walk([&](Operation *inner) {
    for (Value operand : inner->getOperands())
      if (emitter.isActive(operand) &&
          !region.isAncestor(operand.getParentRegion()))
        captured.insert(operand);
  });
  return captured;
}

llvm::DenseSet<Value> adjoint::findActiveValues(func::FuncOp func) {
  llvm::DenseSet<Value> active;
  for (BlockArgument arg : func.getArguments())
    if (isDifferentiable(arg.getType()))
      active.insert(arg);
  auto readsActive = [&](Operation *op) {
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return active.contains(v); }))
      return true;
    bool reads = false;
    for (Region &region : op->getRegions())
      region.walk([&](Operation *inner) {
        for (Value v : inner->getOperands())
          if (active.contains(v) && !region.isAncestor(v.getParentRegion()))
            reads = true;
      });
    return reads;
  };
  // Region arguments (a scan's carried state and slices) count as read as
  // soon as the op reads anything active: coarse, and a fixed point. An op
  // marked sdp.no_gradient computes constants as far as the adjoint goes.
  bool changed = true;
  while (changed) {
    changed = false;
    func.walk([&](Operation *op) {
      if (op == func.getOperation() || hasNoGradient(op) || !readsActive(op))
        return;
      auto mark = [&](Value v) {
        if (isDifferentiable(v.getType()) && active.insert(v).second)
          changed = true;
      };
      for (Value result : op->getResults())
        mark(result);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            mark(arg);
    });
  }
  return active;
}

/// The offsets, sizes and strides of a slice.
struct SliceBounds {
  SmallVector<OpFoldResult> offsets, sizes, strides;
};

/// Maps the SSA values among `mixed` sizes/offsets to their forward copies.
static SmallVector<OpFoldResult> lookupMixed(ArrayRef<OpFoldResult> mixed,
                                             const Frame &frame) {
  SmallVector<OpFoldResult> result;
  for (OpFoldResult ofr : mixed) {
    if (auto value = dyn_cast<Value>(ofr))
      result.push_back(frame.lookup(value));
    else
      result.push_back(ofr);
  }
  return result;
}

/// The bounds of primal slicing op `op`, in forward values.
static SliceBounds lookupSlice(OffsetSizeAndStrideOpInterface op,
                               const Frame &frame) {
  return {lookupMixed(op.getMixedOffsets(), frame),
          lookupMixed(op.getMixedSizes(), frame),
          lookupMixed(op.getMixedStrides(), frame)};
}

//===----------------------------------------------------------------------===//
// Forward sweep
//===----------------------------------------------------------------------===//

/// Whether a branch of `ifOp`, or of an scf.if nested in one, runs an
/// sdp.scan: the forward sweep then records the scans' tapes inside the if
/// and returns them from it.
static bool branchesRunScans(scf::IfOp ifOp) {
  return llvm::any_of(ifOp->getRegions(), [](Region &region) {
    return llvm::any_of(region.getOps(), [](Operation &inner) {
      if (auto nested = dyn_cast<scf::IfOp>(inner))
        return branchesRunScans(nested);
      return isa<ScanOp>(inner);
    });
  });
}

LogicalResult Emitter::emitForward(iterator_range<Block::iterator> ops,
                                   Frame &frame, bool recordTapes) {
  for (Operation &op : ops) {
    if (Value value = frame.recorded.lookup(&op)) {
      frame.forward.map(op.getResult(0), value);
      continue;
    }
    if (recordTapes) {
      if (auto scan = dyn_cast<ScanOp>(op)) {
        if (failed(emitForwardScan(scan, frame)))
          return failure();
        continue;
      }
      if (auto ifOp = dyn_cast<scf::IfOp>(op); ifOp && branchesRunScans(ifOp)) {
        if (failed(emitForwardIf(ifOp, frame)))
          return failure();
        continue;
      }
      if (auto contract = dyn_cast<ContractOp>(op)) {
        if (failed(emitContractForward(*this, contract, frame)))
          return failure();
        continue;
      }
    }
    // An update of a write_once table whose forward copy is its final
    // value: the table already holds what it writes.
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op);
        insert && frame.isFinalTable(insert.getDest())) {
      frame.forward.map(insert.getResult(), frame.lookup(insert.getDest()));
      frame.finalTables.insert(insert.getResult());
      continue;
    }
    cloneForward(op, frame);
  }
  return success();
}

void Emitter::cloneForward(Operation &op, Frame &frame) {
  b.clone(op, frame.forward);
  // Cloning a region maps its block arguments; a later clone of the same
  // op (a reverse step re-running it) must get fresh ones, and cloneInto
  // reuses any block argument that is already mapped.
  op.walk([&](Block *block) {
    for (BlockArgument arg : block->getArguments())
      frame.forward.erase(arg);
  });
}

/// Offsets/sizes/strides of step `t` of a tape [N, shape of `like`].
static SliceBounds tapeSlice(OpBuilder &b, Location loc, Value t,
                             ArrayRef<OpFoldResult> carriedSizes) {
  SliceBounds slice;
  slice.offsets.push_back(t);
  slice.sizes.push_back(b.getIndexAttr(1));
  slice.strides.push_back(b.getIndexAttr(1));
  for (OpFoldResult size : carriedSizes) {
    slice.offsets.push_back(b.getIndexAttr(0));
    slice.sizes.push_back(size);
    slice.strides.push_back(b.getIndexAttr(1));
  }
  return slice;
}

/// Step `t` of `tape` ([N, shape]), as a value of `type` (the shape).
static Value readTapeStep(OpBuilder &b, Location loc, Value tape, Value t,
                          Type type) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, tape);
  SliceBounds slice =
      tapeSlice(b, loc, t, ArrayRef<OpFoldResult>(sizes).drop_front());
  return tensor::ExtractSliceOp::create(b, loc, cast<RankedTensorType>(type),
                                        tape, slice.offsets, slice.sizes,
                                        slice.strides);
}

/// `tape` with `value` written at step `t`.
static Value writeTapeStep(OpBuilder &b, Location loc, Value value, Value tape,
                           Value t) {
  SliceBounds slice =
      tapeSlice(b, loc, t, tensor::getMixedSizes(b, loc, value));
  return tensor::InsertSliceOp::create(b, loc, value, tape, slice.offsets,
                                       slice.sizes, slice.strides);
}

/// True when carried value `i` of `scan` is only written, one slice per
/// step (an output in destination style: `tensor.insert_slice %v into
/// %carried` yielded as the next state). Its adjoint never reads its
/// forward value, so it needs no tape (which would cost the whole tensor
/// per step).
static bool isWriteOnlyCarried(ScanOp scan, unsigned i) {
  BlockArgument carried = scan.getCarriedArgs()[i];
  if (!carried.hasOneUse())
    return false;
  auto insert = dyn_cast<tensor::InsertSliceOp>(*carried.user_begin());
  return insert && insert.getDest() == carried &&
         insert.getSource() != carried && insert.getResult().hasOneUse() &&
         scan.getYield().getValues()[i] == insert.getResult();
}

/// Whether carried value `i` is recorded per step: not when its forward
/// value is never read (write-only) or its final value holds every value a
/// step read (a write_once table).
static bool needsTape(ScanOp scan, unsigned i) {
  return isDifferentiable(scan.getInits()[i].getType()) &&
         !isWriteOnlyCarried(scan, i) && !scan.isWriteOnce(i);
}

bool Emitter::shouldRecordResult(ContractOp op) const {
  // A reduction's result is read by the adjoint (the posterior weights
  // under #sdp.log, the next op's derivative under #sdp.real) and costs a
  // pass over every term to recompute, but only its own size to store. A
  // selective one would need its witness as well: it is recomputed, unless
  // it is sdp.no_gradient (a log-sum-exp's shift, which the reverse step's
  // re-run of the body reads but never differentiates).
  if (op.getWitness() || op.getContractionSpec().getNumReduced() == 0)
    return false;
  if (hasNoGradient(op))
    return true;
  if (!isActive(op.getResult()))
    return false;
  // A real product's own adjoint does not read its result; only a later op
  // of the body may (the log of a linear chain's step reads it), so one that
  // is only yielded (taped anyway, as the next step's state) is not kept.
  Attribute semiring = op.getSemiring();
  if (isa<LogSemiringAttr>(semiring))
    return true;
  return isa<RealSemiringAttr>(semiring) && op.getInputs().size() >= 2 &&
         llvm::any_of(op->getUsers(),
                      [](Operation *user) { return !isa<YieldOp>(user); });
}

OpFoldResult Emitter::sizeBeforeScan(ScanOp scan, Frame &frame, Value value,
                                     unsigned dim, unsigned depth) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(type.getDimSize(dim));
  Region &body = scan.getBody();
  if (!body.isAncestor(value.getParentRegion()))
    return tensor::DimOp::create(b, loc, frame.lookup(value), dim).getResult();
  if (depth > 16)
    return {};
  auto recurse = [&](Value v, unsigned d) {
    return sizeBeforeScan(scan, frame, v, d, depth + 1);
  };
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() != &body.front() || arg.getArgNumber() == 0)
      return {};
    unsigned n = arg.getArgNumber() - 1;
    if (n < scan.getNumCarried())
      return tensor::DimOp::create(b, loc, frame.lookup(scan.getInits()[n]),
                                   dim)
          .getResult();
    // A slice is its sequence with axis `along` removed.
    Value sequence =
        frame.lookup(scan.getSequences()[n - scan.getNumCarried()]);
    unsigned sequenceDim = dim < scan.getAlong() ? dim : dim + 1;
    return tensor::DimOp::create(b, loc, sequence, sequenceDim).getResult();
  }
  Operation *def = value.getDefiningOp();
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(def))
    return recurse(dps.getTiedOpOperand(cast<OpResult>(value))->get(), dim);
  if (auto cast = dyn_cast<tensor::CastOp>(def))
    return recurse(cast.getSource(), dim);
  if (auto contract = dyn_cast<ContractOp>(def)) {
    ContractionSpec spec = contract.getContractionSpec();
    char letter = spec.getOutput()[dim];
    for (auto [i, input] : llvm::enumerate(contract.getInputs()))
      if (size_t position = spec.getInput(i).find(letter);
          position != StringRef::npos)
        return recurse(input, position);
    return {};
  }
  if (auto empty = dyn_cast<tensor::EmptyOp>(def)) {
    Value size = empty.getDynamicSize(dim);
    if (!body.isAncestor(size.getParentRegion()))
      return frame.lookup(size);
    auto dimOp = size.getDefiningOp<tensor::DimOp>();
    std::optional<int64_t> index =
        dimOp ? dimOp.getConstantIndex() : std::nullopt;
    return index ? recurse(dimOp.getSource(), *index) : OpFoldResult();
  }
  return {};
}

LogicalResult Emitter::emitForwardScan(ScanOp scan, Frame &frame) {
  // Already run with tapes by the forward sweep's copy of an enclosing if.
  if (const Frame::RecordedScan *recorded = frame.lookupRecordedScan(scan)) {
    for (auto [result, value] :
         llvm::zip_equal(scan.getResults(), recorded->results))
      frame.forward.map(result, value);
    frame.tapes[scan] = recorded->tapes;
    frame.resultTapes[scan] = recorded->resultTapes;
    if (recorded->checkpointed)
      frame.checkpointed.insert(scan);
    return success();
  }
  SmallVector<Value> inits, tapes, sequences;
  for (Value init : scan.getInits())
    inits.push_back(frame.lookup(init));
  for (Value sequence : scan.getSequences())
    sequences.push_back(frame.lookup(sequence));
  int64_t along = scan.getAlong();
  Value steps = tensor::DimOp::create(b, loc, sequences.front(), along);
  // With checkpoints, only the state before every K-th step is kept.
  bool checkpointed = checkpointEvery > 0 && !scan.getReverse();
  Value every, tapeLength = steps;
  if (checkpointed) {
    every = arith::ConstantIndexOp::create(b, loc, checkpointEvery);
    tapeLength = arith::CeilDivUIOp::create(b, loc, steps, every);
    frame.checkpointed.insert(scan);
  }

  // One tape per float carried value: its state before each step.
  SmallVector<unsigned> taped;
  for (auto [i, init] : llvm::enumerate(inits)) {
    if (!needsTape(scan, i))
      continue;
    auto type = cast<RankedTensorType>(init.getType());
    SmallVector<OpFoldResult> sizes{tapeLength};
    llvm::append_range(sizes, tensor::getMixedSizes(b, loc, init));
    SmallVector<int64_t> shape{ShapedType::kDynamic};
    llvm::append_range(shape, type.getShape());
    Value empty = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
    tapes.push_back(
        castTo(empty, RankedTensorType::get(shape, type.getElementType())));
    taped.push_back(i);
  }

  // Without checkpoints, the results of the body's reductions are recorded
  // too, so that reverse steps need not recompute them.
  SmallVector<std::pair<Operation *, Value>> resultTapes;
  if (!checkpointed) {
    for (Operation &op : scan.getBody().front().without_terminator()) {
      auto contract = dyn_cast<ContractOp>(op);
      if (!contract || !shouldRecordResult(contract))
        continue;
      auto type = cast<RankedTensorType>(contract.getResult().getType());
      SmallVector<OpFoldResult> sizes{tapeLength};
      for (unsigned d = 0; d < type.getRank(); ++d)
        if (OpFoldResult size =
                sizeBeforeScan(scan, frame, contract.getResult(), d))
          sizes.push_back(size);
      if (sizes.size() != size_t(type.getRank()) + 1)
        continue;
      SmallVector<int64_t> shape{ShapedType::kDynamic};
      llvm::append_range(shape, type.getShape());
      Value empty =
          tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
      resultTapes.push_back(
          {contract,
           castTo(empty, RankedTensorType::get(shape, type.getElementType()))});
    }
  }

  SmallVector<Value> allInits(inits);
  llvm::append_range(allInits, tapes);
  for (auto [op, tape] : resultTapes)
    allInits.push_back(tape);
  auto taping =
      ScanOp::create(b, loc, allInits, sequences, along, scan.getReverse());
  Block &body = taping.getBody().front();
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&body);
    Frame inner(&frame);
    inner.forward = frame.forward;
    unsigned numCarried = scan.getNumCarried();
    inner.forward.map(scan.getStepIndex(), body.getArgument(0));
    for (unsigned i = 0; i < numCarried; ++i)
      inner.forward.map(scan.getCarriedArgs()[i], body.getArgument(1 + i));
    unsigned resultTapeBase = 1 + numCarried + tapes.size();
    for (auto [i, slice] : llvm::enumerate(scan.getSliceArgs()))
      inner.forward.map(
          slice, body.getArgument(resultTapeBase + resultTapes.size() + i));
    if (failed(emitForward(scan.getBody().front().without_terminator(), inner,
                           /*recordTapes=*/false)))
      return failure();
    SmallVector<Value> yields;
    for (Value value : scan.getYield().getValues())
      yields.push_back(inner.lookup(value));
    Value t = body.getArgument(0);
    auto record = [&](Value position) {
      SmallVector<Value> recorded;
      for (auto [k, i] : llvm::enumerate(taped)) {
        recorded.push_back(writeTapeStep(b, loc, body.getArgument(1 + i),
                                         body.getArgument(1 + numCarried + k),
                                         position));
      }
      return recorded;
    };
    if (!checkpointed) {
      llvm::append_range(yields, record(t));
    } else if (!taped.empty()) {
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      Value atCheckpoint =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                arith::RemUIOp::create(b, loc, t, every), zero);
      SmallVector<Type> tapeTypes;
      for (Value tape : tapes)
        tapeTypes.push_back(tape.getType());
      auto ifOp = scf::IfOp::create(b, loc, tapeTypes, atCheckpoint,
                                    /*addThenBlock=*/true,
                                    /*addElseBlock=*/true);
      {
        OpBuilder::InsertionGuard ifGuard(b);
        b.setInsertionPointToStart(ifOp.thenBlock());
        scf::YieldOp::create(b, loc,
                             record(arith::DivUIOp::create(b, loc, t, every)));
        b.setInsertionPointToStart(ifOp.elseBlock());
        scf::YieldOp::create(b, loc,
                             ValueRange(body.getArguments().slice(
                                 1 + numCarried, tapes.size())));
      }
      llvm::append_range(yields, ifOp.getResults());
    }
    for (auto [k, entry] : llvm::enumerate(resultTapes))
      yields.push_back(writeTapeStep(b, loc,
                                     inner.lookup(entry.first->getResult(0)),
                                     body.getArgument(resultTapeBase + k), t));
    YieldOp::create(b, loc, yields);
  }
  for (auto [i, result] : llvm::enumerate(scan.getResults()))
    frame.forward.map(result, taping.getResult(i));
  ValueRange tapeResults = taping.getResults().drop_front(scan.getNumCarried());
  frame.tapes[scan] = SmallVector<Value>(tapeResults.take_front(tapes.size()));
  for (auto [k, entry] : llvm::enumerate(resultTapes))
    frame.resultTapes[scan].push_back(
        {entry.first, tapeResults[tapes.size() + k]});
  return success();
}

//===----------------------------------------------------------------------===//
// Backward sweep
//===----------------------------------------------------------------------===//

LogicalResult Emitter::emitBackward(iterator_range<Block::iterator> ops,
                                    Frame &frame) {
  SmallVector<Operation *> reversed;
  for (Operation &op : ops)
    reversed.push_back(&op);
  for (Operation *op : llvm::reverse(reversed)) {
    bool hasCotangent = llvm::any_of(op->getResults(), [&](Value result) {
      return frame.cotangents.contains(result);
    });
    if (!hasCotangent)
      continue;
    if (failed(emitBackwardOp(op, frame)))
      return failure();
  }
  return success();
}

LogicalResult Emitter::emitBackwardOp(Operation *op, Frame &frame) {
  if (auto scan = dyn_cast<ScanOp>(op))
    return emitBackwardScan(scan, frame);
  if (auto contract = dyn_cast<ContractOp>(op))
    return emitContractAdjoint(*this, contract, frame);
  if (auto generic = dyn_cast<linalg::GenericOp>(op))
    return emitGenericAdjoint(*this, generic, frame);
  if (auto logDet = dyn_cast<LogDetOp>(op))
    return emitLogDetAdjoint(*this, logDet, frame);
  if (auto inverse = dyn_cast<InverseOp>(op))
    return emitInverseAdjoint(*this, inverse, frame);

  if (auto castOp = dyn_cast<tensor::CastOp>(op)) {
    accumulate(frame, castOp.getSource(),
               frame.cotangents.lookup(castOp.getResult()));
    return success();
  }
  if (auto extract = dyn_cast<tensor::ExtractSliceOp>(op)) {
    // Add the slice's cotangent into its region of the source's.
    Value cotangent = frame.cotangents.lookup(extract.getResult());
    Value source = extract.getSource();
    Value full = frame.cotangents.lookup(source);
    SliceBounds at = lookupSlice(extract, frame);
    Value sum = cotangent;
    if (full) {
      Value region =
          tensor::ExtractSliceOp::create(b, loc, extract.getResultType(), full,
                                         at.offsets, at.sizes, at.strides);
      sum = add(region, cotangent);
    } else {
      // Nothing to add to: the slice's cotangent goes into zeros as it is
      // (a pass over a [B, T, C] tape less for a scan's sequence).
      full = zerosLike(frame.lookup(source));
    }
    frame.cotangents[source] = tensor::InsertSliceOp::create(
        b, loc, sum, full, at.offsets, at.sizes, at.strides);
    return success();
  }
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    Value cotangent = frame.cotangents.lookup(insert.getResult());
    SliceBounds at = lookupSlice(insert, frame);
    Value source = insert.getSource();
    accumulate(frame, source,
               tensor::ExtractSliceOp::create(b, loc, insert.getSourceType(),
                                              cotangent, at.offsets, at.sizes,
                                              at.strides));
    // The overwritten region of the destination receives nothing.
    Value hole = tensor::InsertSliceOp::create(
        b, loc, zerosLike(frame.lookup(source)), cotangent, at.offsets,
        at.sizes, at.strides);
    accumulate(frame, insert.getDest(), hole);
    return success();
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    // Each read position receives the cotangents of the elements that read
    // it: a scatter-add with the same spec.
    Value source = frame.lookup(gather.getSource());
    Value zeros = zerosLike(source);
    Value cotangent = castTo(frame.cotangents.lookup(gather.getResult()),
                             gather.getResult().getType());
    Value scattered =
        ScatterOp::create(b, loc, zeros.getType(), gather.getSpecAttr(),
                          cotangent, frame.lookup(gather.getIndices()), zeros,
                          RealSemiringAttr::get(b.getContext()));
    accumulate(frame, gather.getSource(), scattered);
    return success();
  }
  if (auto scatter = dyn_cast<ScatterOp>(op)) {
    if (!isa<RealSemiringAttr>(scatter.getSemiring()))
      return op->emitOpError("is not differentiable: only #sdp.real "
                             "scatters (sums) have adjoints");
    Value cotangent = castTo(frame.cotangents.lookup(scatter.getResult()),
                             scatter.getResult().getType());
    accumulate(frame, scatter.getInit(), cotangent);
    Value gathered = GatherOp::create(b, loc, scatter.getValues().getType(),
                                      scatter.getSpecAttr(), cotangent,
                                      frame.lookup(scatter.getIndices()));
    accumulate(frame, scatter.getValues(), gathered);
    return success();
  }
  if (auto ifOp = dyn_cast<scf::IfOp>(op))
    return emitBackwardIf(ifOp, frame);
  // Ops that overwrite or create without reading floats.
  if (isa<linalg::FillOp, tensor::EmptyOp>(op))
    return success();
  return op->emitOpError("is not differentiable: the adjoint transform has "
                         "no rule for it");
}

SmallVector<Value> Emitter::rerunSegment(ScanOp scan, Frame &frame,
                                         ArrayRef<Value> checkpoints,
                                         ValueRange locals,
                                         ValueRange sequences, Value t,
                                         Value every, Value steps) {
  // Reverse step t starts a segment (in reverse order) when t is the last
  // step or t + 1 is a multiple of K; the segment runs forward from the
  // checkpoint at t / K over steps [start, t] and records each state.
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value next = arith::AddIOp::create(b, loc, t, one);
  Value isLast =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, next, steps);
  Value atBoundary =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                            arith::RemUIOp::create(b, loc, next, every), zero);
  Value starts = arith::OrIOp::create(b, loc, isLast, atBoundary);
  Value segment = arith::DivUIOp::create(b, loc, t, every);
  Value start = arith::MulIOp::create(b, loc, segment, every);
  Value count = arith::SubIOp::create(b, loc, next, start);

  auto ifOp = scf::IfOp::create(b, loc, locals.getTypes(), starts,
                                /*addThenBlock=*/true, /*addElseBlock=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, loc, locals);
  b.setInsertionPointToStart(ifOp.thenBlock());

  unsigned numCarried = scan.getNumCarried();
  int64_t along = scan.getAlong();
  SmallVector<Value> inits;
  unsigned k = 0;
  for (unsigned i = 0; i < numCarried; ++i) {
    if (!needsTape(scan, i)) {
      inits.push_back(frame.lookup(scan.getResult(i)));
      continue;
    }
    inits.push_back(readTapeStep(b, loc, checkpoints[k++], segment,
                                 scan.getInits()[i].getType()));
  }
  llvm::append_range(inits, locals);
  SmallVector<Value> pieces;
  for (Value sequence : sequences) {
    auto type = cast<RankedTensorType>(sequence.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, sequence);
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    offsets[along] = start;
    sizes[along] = count;
    pieces.push_back(tensor::ExtractSliceOp::create(b, loc, type, sequence,
                                                    offsets, sizes, strides));
  }
  auto rerun = ScanOp::create(b, loc, inits, pieces, along);
  Block &body = rerun.getBody().front();
  {
    OpBuilder::InsertionGuard bodyGuard(b);
    b.setInsertionPointToStart(&body);
    Frame segmentFrame(&frame);
    segmentFrame.forward = frame.forward;
    Value local = body.getArgument(0);
    segmentFrame.forward.map(scan.getStepIndex(),
                             arith::AddIOp::create(b, loc, local, start));
    for (unsigned i = 0; i < numCarried; ++i)
      segmentFrame.forward.map(scan.getCarriedArgs()[i],
                               body.getArgument(1 + i));
    unsigned sliceBase = 1 + numCarried + locals.size();
    for (auto [j, slice] : llvm::enumerate(scan.getSliceArgs()))
      segmentFrame.forward.map(slice, body.getArgument(sliceBase + j));
    (void)emitForward(scan.getBody().front().without_terminator(), segmentFrame,
                      /*recordTapes=*/false);
    SmallVector<Value> yields;
    for (Value value : scan.getYield().getValues())
      yields.push_back(segmentFrame.lookup(value));
    unsigned l = 0;
    for (unsigned i = 0; i < numCarried; ++i) {
      if (!needsTape(scan, i))
        continue;
      yields.push_back(writeTapeStep(b, loc, body.getArgument(1 + i),
                                     body.getArgument(1 + numCarried + l++),
                                     local));
    }
    YieldOp::create(b, loc, yields);
  }
  scf::YieldOp::create(b, loc,
                       ValueRange(rerun.getResults().drop_front(numCarried)));
  return SmallVector<Value>(ifOp.getResults());
}

LogicalResult Emitter::emitBackwardScan(ScanOp scan, Frame &frame) {
  unsigned numCarried = scan.getNumCarried();
  // A reverse step stands in the final value for integer carried state (it
  // is not recorded), which is right only while no float value reads it.
  for (unsigned i = 0; i < numCarried; ++i) {
    if (isDifferentiable(scan.getInits()[i].getType()))
      continue;
    SetVector<Operation *> readers;
    getForwardSlice(Value(scan.getCarriedArgs()[i]), &readers);
    for (Operation *reader : readers)
      if (llvm::any_of(reader->getResultTypes(), [](Type type) {
            return isa<FloatType>(getElementTypeOrSelf(type));
          }))
        return reader->emitOpError()
               << "is not differentiable: it computes floats from the "
                  "integer carried state #"
               << i << " of a scan, which the adjoint does not record";
  }
  SmallVector<unsigned> floatCarried;
  for (unsigned i = 0; i < numCarried; ++i)
    if (isDifferentiable(scan.getInits()[i].getType()))
      floatCarried.push_back(i);

  // Float tensors the body reads from above: their cotangents accumulate
  // over the steps.
  llvm::SetVector<Value> captured = getCapturedFloats(scan.getBody(), *this);
  SmallVector<unsigned> floatSequences;
  for (auto [k, sequence] : llvm::enumerate(scan.getSequences()))
    if (isActive(sequence))
      floatSequences.push_back(k);

  SmallVector<Value> inits, sequences;
  for (unsigned i : floatCarried) {
    Value cotangent = frame.cotangents.lookup(scan.getResult(i));
    Value result = frame.lookup(scan.getResult(i));
    inits.push_back(cotangent ? castTo(cotangent, result.getType())
                              : zerosLike(result));
  }
  for (Value value : captured)
    inits.push_back(zerosLike(frame.lookup(value)));
  for (unsigned k : floatSequences)
    inits.push_back(zerosLike(frame.lookup(scan.getSequences()[k])));
  for (Value sequence : scan.getSequences())
    sequences.push_back(frame.lookup(sequence));
  int64_t along = scan.getAlong();

  // With checkpoints, the reverse carries one segment's states ([K, shape]
  // per taped value), re-run from the segment's checkpoint when it starts.
  SmallVector<Value> tapes = frame.tapes.lookup(scan);
  bool checkpointed = frame.checkpointed.contains(scan);
  SmallVector<unsigned> tapedCarried;
  for (unsigned i = 0; i < numCarried; ++i)
    if (needsTape(scan, i))
      tapedCarried.push_back(i);
  Value every, steps;
  if (checkpointed) {
    every = arith::ConstantIndexOp::create(b, loc, checkpointEvery);
    steps = tensor::DimOp::create(b, loc, sequences.front(), along);
    for (auto [k, i] : llvm::enumerate(tapedCarried)) {
      Value init = frame.lookup(scan.getInits()[i]);
      SmallVector<OpFoldResult> sizes{every};
      llvm::append_range(sizes, tensor::getMixedSizes(b, loc, init));
      inits.push_back(
          castTo(tensor::EmptyOp::create(
                     b, loc, sizes,
                     cast<RankedTensorType>(init.getType()).getElementType()),
                 tapes[k].getType()));
    }
  }
  unsigned numLocals = checkpointed ? tapedCarried.size() : 0;

  auto reverse =
      ScanOp::create(b, loc, inits, sequences, along, !scan.getReverse());
  Block &body = reverse.getBody().front();
  unsigned numCaptured = captured.size();
  unsigned capturedBase = 1 + floatCarried.size();
  unsigned sequenceBase = capturedBase + numCaptured;
  unsigned localBase = sequenceBase + floatSequences.size();
  unsigned sliceBase = localBase + numLocals;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&body);
    Value t = body.getArgument(0);
    Frame inner(&frame);
    inner.forward = frame.forward;
    inner.forward.map(scan.getStepIndex(), t);
    // The carried state entering step t, from the tape. Integer state (such
    // as backpointers) feeds no float value and write-only state is never
    // read, so their final values stand in (the re-run writes are dead).
    SmallVector<Value> stepTapes(tapes);
    Value tapeStep = t;
    SmallVector<Value> locals;
    if (checkpointed && numLocals > 0) {
      locals = rerunSegment(scan, frame, tapes,
                            body.getArguments().slice(localBase, numLocals),
                            sequences, t, every, steps);
      stepTapes = locals;
      Value segmentStart = arith::MulIOp::create(
          b, loc, arith::DivUIOp::create(b, loc, t, every), every);
      tapeStep = arith::SubIOp::create(b, loc, t, segmentStart);
    }
    unsigned tapeIndex = 0;
    for (unsigned i = 0; i < numCarried; ++i) {
      BlockArgument carried = scan.getCarriedArgs()[i];
      if (!needsTape(scan, i)) {
        inner.forward.map(carried, frame.lookup(scan.getResult(i)));
        if (scan.isWriteOnce(i))
          inner.finalTables.insert(carried);
        continue;
      }
      inner.forward.map(carried, readTapeStep(b, loc, stepTapes[tapeIndex++],
                                              tapeStep, carried.getType()));
    }
    for (auto [k, slice] : llvm::enumerate(scan.getSliceArgs()))
      inner.forward.map(slice, body.getArgument(sliceBase + k));
    for (auto [op, tape] : frame.resultTapes.lookup(scan))
      inner.recorded[op] =
          readTapeStep(b, loc, tape, t, op->getResult(0).getType());

    auto bodyOps = scan.getBody().front().without_terminator();
    if (failed(emitForward(bodyOps, inner, /*recordTapes=*/true)))
      return failure();
    for (auto [k, i] : llvm::enumerate(floatCarried))
      accumulate(inner, scan.getYield().getValues()[i],
                 body.getArgument(1 + k));
    if (failed(emitBackward(bodyOps, inner)))
      return failure();

    SmallVector<Value> yields;
    for (unsigned i : floatCarried) {
      BlockArgument carried = scan.getCarriedArgs()[i];
      Value cotangent = inner.cotangents.lookup(carried);
      yields.push_back(cotangent ? cotangent
                                 : zerosLike(inner.lookup(carried)));
    }
    for (auto [k, value] : llvm::enumerate(captured)) {
      Value accumulated = body.getArgument(capturedBase + k);
      Value cotangent = inner.cotangents.lookup(value);
      yields.push_back(cotangent ? add(accumulated, cotangent) : accumulated);
    }
    for (auto [k, s] : llvm::enumerate(floatSequences)) {
      Value accumulated = body.getArgument(sequenceBase + k);
      Value cotangent = inner.cotangents.lookup(scan.getSliceArgs()[s]);
      if (!cotangent) {
        yields.push_back(accumulated);
        continue;
      }
      auto type = cast<RankedTensorType>(accumulated.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes =
          tensor::getMixedSizes(b, loc, accumulated);
      SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
      offsets[along] = t;
      sizes[along] = b.getIndexAttr(1);
      yields.push_back(tensor::InsertSliceOp::create(
          b, loc, castTo(cotangent, scan.getSliceArgs()[s].getType()),
          accumulated, offsets, sizes, strides));
    }
    llvm::append_range(yields, locals);
    YieldOp::create(b, loc, yields);
  }

  for (auto [k, i] : llvm::enumerate(floatCarried))
    accumulate(frame, scan.getInits()[i], reverse.getResult(k));
  for (auto [k, value] : llvm::enumerate(captured))
    accumulate(frame, value, reverse.getResult(capturedBase - 1 + k));
  for (auto [k, s] : llvm::enumerate(floatSequences))
    accumulate(frame, scan.getSequences()[s],
               reverse.getResult(sequenceBase - 1 + k));
  return success();
}

/// An empty tensor of `type` (dynamic sizes 0): what the branch not taken
/// returns for the other branch's scans.
static Value emptyPlaceholder(OpBuilder &b, Location loc, Type type) {
  auto tensorType = cast<RankedTensorType>(type);
  SmallVector<OpFoldResult> sizes;
  for (int64_t size : tensorType.getShape())
    sizes.push_back(b.getIndexAttr(ShapedType::isDynamic(size) ? 0 : size));
  return sdp::castTo(
      b, loc,
      tensor::EmptyOp::create(b, loc, sizes, tensorType.getElementType()),
      type);
}

LogicalResult Emitter::emitForwardIf(scf::IfOp ifOp, Frame &frame) {
  Value condition = frame.lookup(ifOp.getCondition());
  // The branches are emitted into a result-less if first (blocks without
  // terminators): what they return is known only once their scans have
  // made their tapes.
  auto scratch = scf::IfOp::create(b, loc, TypeRange{}, condition,
                                   /*addThenBlock=*/true,
                                   /*addElseBlock=*/true);
  Region *primalRegions[2] = {&ifOp.getThenRegion(), &ifOp.getElseRegion()};
  Block *blocks[2] = {scratch.thenBlock(), scratch.elseBlock()};
  SmallVector<Value> primalYields[2];
  SmallVector<std::pair<Operation *, Frame::RecordedScan>> scans[2];
  for (unsigned k = 0; k < 2; ++k) {
    if (primalRegions[k]->empty())
      continue;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(blocks[k]);
    Frame branch(&frame);
    branch.forward = frame.forward;
    Block &primal = primalRegions[k]->front();
    if (failed(emitForward(primal.without_terminator(), branch,
                           /*recordTapes=*/true)))
      return failure();
    for (Value yielded : primal.getTerminator()->getOperands())
      primalYields[k].push_back(branch.lookup(yielded));
    for (Operation &op : primal.without_terminator()) {
      if (auto scan = dyn_cast<ScanOp>(op)) {
        Frame::RecordedScan recorded;
        for (Value result : scan.getResults())
          recorded.results.push_back(branch.lookup(result));
        recorded.tapes = branch.tapes.lookup(scan);
        recorded.resultTapes = branch.resultTapes.lookup(scan);
        recorded.checkpointed = branch.checkpointed.contains(scan);
        scans[k].push_back({scan, std::move(recorded)});
        continue;
      }
      // The scans of an if nested in this branch leave it too: else the
      // backward sweep's re-run of this branch would run them again.
      if (isa<scf::IfOp>(op))
        op.walk([&](ScanOp nested) {
          auto it = branch.recordedScans.find(nested);
          if (it != branch.recordedScans.end())
            scans[k].push_back({nested, it->second});
        });
    }
  }
  auto flatten = [](const Frame::RecordedScan &recorded) {
    SmallVector<Value> values(recorded.results);
    llvm::append_range(values, recorded.tapes);
    for (auto [op, tape] : recorded.resultTapes)
      values.push_back(tape);
    return values;
  };
  SmallVector<Type> types(ifOp.getResultTypes());
  for (unsigned k = 0; k < 2; ++k)
    for (auto &[scan, recorded] : scans[k])
      for (Value value : flatten(recorded)) {
        if (!isa<RankedTensorType>(value.getType()))
          return scan->emitOpError()
                 << "is not differentiable: its result of type "
                 << value.getType() << " cannot leave the enclosing scf.if";
        types.push_back(value.getType());
      }

  auto taped = scf::IfOp::create(b, loc, types, condition,
                                 /*addThenBlock=*/false,
                                 /*addElseBlock=*/false);
  taped.getThenRegion().takeBody(scratch.getThenRegion());
  taped.getElseRegion().takeBody(scratch.getElseRegion());
  scratch.erase();
  Block *tapedBlocks[2] = {taped.thenBlock(), taped.elseBlock()};
  for (unsigned k = 0; k < 2; ++k) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(tapedBlocks[k]);
    SmallVector<Value> yields(primalYields[k]);
    for (unsigned j = 0; j < 2; ++j)
      for (auto &[scan, recorded] : scans[j])
        for (Value value : flatten(recorded))
          yields.push_back(j == k ? value
                                  : emptyPlaceholder(b, loc, value.getType()));
    scf::YieldOp::create(b, loc, yields);
  }

  for (auto [result, value] : llvm::zip(ifOp.getResults(), taped.getResults()))
    frame.forward.map(result, value);
  unsigned position = ifOp.getNumResults();
  auto next = [&] { return taped.getResult(position++); };
  for (unsigned k = 0; k < 2; ++k)
    for (auto &[scan, recorded] : scans[k]) {
      Frame::RecordedScan outside;
      for (size_t i = 0; i < recorded.results.size(); ++i)
        outside.results.push_back(next());
      for (size_t i = 0; i < recorded.tapes.size(); ++i)
        outside.tapes.push_back(next());
      for (auto [op, tape] : recorded.resultTapes)
        outside.resultTapes.push_back({op, next()});
      outside.checkpointed = recorded.checkpointed;
      frame.recordedScans[scan] = std::move(outside);
    }
  return success();
}

LogicalResult Emitter::emitBackwardIf(scf::IfOp ifOp, Frame &frame) {
  // Each branch of the adjoint re-runs its primal branch (recording tapes;
  // its scans were run by emitForwardIf), then differentiates it, and
  // yields the cotangents of what it read.
  llvm::SetVector<Value> captured =
      getCapturedFloats(ifOp.getThenRegion(), *this);
  captured.insert_range(getCapturedFloats(ifOp.getElseRegion(), *this));
  if (captured.empty())
    return success();
  SmallVector<Type> types;
  for (Value value : captured)
    types.push_back(value.getType());
  auto adjointIf =
      scf::IfOp::create(b, loc, types, frame.lookup(ifOp.getCondition()),
                        /*addThenBlock=*/true,
                        /*addElseBlock=*/true);
  for (Region *branch : {&ifOp.getThenRegion(), &ifOp.getElseRegion()}) {
    OpBuilder::InsertionGuard guard(b);
    Block &adjointBlock = branch == &ifOp.getThenRegion()
                              ? *adjointIf.thenBlock()
                              : *adjointIf.elseBlock();
    b.setInsertionPointToStart(&adjointBlock);
    Frame inner(&frame);
    inner.forward = frame.forward;
    Block &primal = branch->front();
    if (failed(emitForward(primal.without_terminator(), inner,
                           /*recordTapes=*/true)))
      return failure();
    for (auto [result, yielded] :
         llvm::zip(ifOp.getResults(), primal.getTerminator()->getOperands()))
      accumulate(inner, yielded, frame.cotangents.lookup(result));
    if (failed(emitBackward(primal.without_terminator(), inner)))
      return failure();
    SmallVector<Value> yields;
    for (Value value : captured) {
      Value cotangent = inner.cotangents.lookup(value);
      yields.push_back(cotangent ? castTo(cotangent, value.getType())
                                 : zerosLike(frame.lookup(value)));
    }
    scf::YieldOp::create(b, loc, yields);
  }
  for (auto [k, value] : llvm::enumerate(captured))
    accumulate(frame, value, adjointIf.getResult(k));
  return success();
}

//===----------------------------------------------------------------------===//
// The adjoint function
//===----------------------------------------------------------------------===//

/// Inlines every func.call in `func` (callees with one block), repeatedly,
/// so that the adjoint sees one straight-line body.
static LogicalResult inlineCalls(func::FuncOp func, Operation *symbolScope) {
  for (int depth = 0; depth < 32; ++depth) {
    SmallVector<func::CallOp> calls;
    func.walk([&](func::CallOp call) { calls.push_back(call); });
    if (calls.empty())
      return success();
    for (func::CallOp call : calls) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          symbolScope, call.getCalleeAttr());
      if (!callee || callee.isExternal() ||
          !llvm::hasSingleElement(callee.getBody()))
        return call.emitOpError("cannot be differentiated: its callee has no "
                                "single-block body to inline");
      OpBuilder b(call);
      IRMapping mapping;
      Block &entry = callee.getBody().front();
      mapping.map(entry.getArguments(), call.getOperands());
      for (Operation &op : entry.without_terminator())
        b.clone(op, mapping);
      auto ret = cast<func::ReturnOp>(entry.getTerminator());
      for (auto [result, value] :
           llvm::zip(call.getResults(), ret.getOperands()))
        result.replaceAllUsesWith(mapping.lookupOrDefault(value));
      call.erase();
    }
  }
  return func.emitOpError("cannot be differentiated: calls nest too deeply");
}

FailureOr<func::FuncOp>
mlir::sdp::buildAdjointFunction(func::FuncOp primal, StringRef name,
                                int64_t checkpointEvery,
                                int64_t batchMinorLabels) {
  if (primal.isExternal() || !llvm::hasSingleElement(primal.getBody()))
    return primal.emitOpError("cannot be differentiated: it needs a body of "
                              "one block");
  Operation *symbolScope = primal->getParentOp();
  // Work on a copy: inline calls and decompose named ops into the core.
  OpBuilder moduleBuilder(primal);
  auto work = cast<func::FuncOp>(moduleBuilder.clone(*primal));
  llvm::scope_exit eraseWork([&] { work.erase(); });
  if (failed(inlineCalls(work, symbolScope)))
    return failure();
  {
    RewritePatternSet patterns(primal.getContext());
    populateDecomposeNamedOpsPatterns(patterns, /*bleuBatchTile=*/32,
                                      batchMinorLabels);
    populateDecomposeAlignmentPatterns(patterns);
    walkAndApplyPatterns(work, std::move(patterns));
  }

  FunctionType primalType = primal.getFunctionType();
  SmallVector<Type> inputs(primalType.getInputs());
  SmallVector<Type> results;
  for (Type type : primalType.getResults())
    if (isDifferentiable(type))
      inputs.push_back(type);
  for (Type type : primalType.getInputs())
    if (isDifferentiable(type))
      results.push_back(type);

  moduleBuilder.setInsertionPointAfter(primal);
  auto adjointFunc =
      func::FuncOp::create(moduleBuilder, primal.getLoc(), name,
                           moduleBuilder.getFunctionType(inputs, results));
  adjointFunc.setPrivate();
  adjointFunc->setAttr(kAdjointOfAttrName,
                       FlatSymbolRefAttr::get(primal.getSymNameAttr()));
  Block *entry = adjointFunc.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockBegin(entry);
  Emitter emitter(b, primal.getLoc(), checkpointEvery);
  llvm::DenseSet<Value> active = findActiveValues(work);
  emitter.setActiveValues(&active);
  Frame root;
  Block &workBody = work.getBody().front();
  unsigned numArgs = workBody.getNumArguments();
  for (unsigned i = 0; i < numArgs; ++i)
    root.forward.map(workBody.getArgument(i), entry->getArgument(i));

  auto fail = [&]() -> FailureOr<func::FuncOp> {
    adjointFunc.erase();
    return failure();
  };
  if (failed(emitter.emitForward(workBody.without_terminator(), root,
                                 /*recordTapes=*/true)))
    return fail();
  auto ret = cast<func::ReturnOp>(workBody.getTerminator());
  unsigned seed = numArgs;
  for (Value value : ret.getOperands())
    if (isDifferentiable(value.getType()))
      emitter.accumulate(root, value, entry->getArgument(seed++));
  if (failed(emitter.emitBackward(workBody.without_terminator(), root)))
    return fail();

  SmallVector<Value> gradients;
  for (unsigned i = 0; i < numArgs; ++i) {
    BlockArgument arg = workBody.getArgument(i);
    if (!isDifferentiable(arg.getType()))
      continue;
    Value cotangent = root.cotangents.lookup(arg);
    gradients.push_back(cotangent ? emitter.castTo(cotangent, arg.getType())
                                  : emitter.zerosLike(entry->getArgument(i)));
  }
  func::ReturnOp::create(b, primal.getLoc(), gradients);
  return adjointFunc;
}
