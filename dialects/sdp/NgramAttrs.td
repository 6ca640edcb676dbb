//===- NgramAttrs.td - BLEU scoring attributes -------------*- tablegen -*-===//

#ifndef SDP_NGRAM_ATTRS_TD
#define SDP_NGRAM_ATTRS_TD

include "sdp/SdpBase.td"
include "mlir/IR/EnumAttr.td"

def Sdp_BleuCompat : I32EnumAttr<"BleuCompat", "scoring rules to reproduce", [
    I32EnumAttrCase<"nltk", 0>, I32EnumAttrCase<"sacrebleu", 1>]> {
  let cppNamespace = "::mlir::sdp";
  let genSpecializedAttr = 0;
}
def Sdp_BleuCompatAttr : EnumAttr<Sdp_Dialect, Sdp_BleuCompat, "compat"> {
  let assemblyFormat = "`<` $value `>`";
}

def Sdp_BleuSmoothing : I32EnumAttr<"BleuSmoothing", "BLEU smoothing", [
    I32EnumAttrCase<"method0", 0>, I32EnumAttrCase<"method1", 1>,
    I32EnumAttrCase<"method2", 2>, I32EnumAttrCase<"method3", 3>,
    I32EnumAttrCase<"method4", 4>, I32EnumAttrCase<"method5", 5>,
    I32EnumAttrCase<"method6", 6>, I32EnumAttrCase<"method7", 7>,
    I32EnumAttrCase<"exp", 8>, I32EnumAttrCase<"floor", 9>,
    I32EnumAttrCase<"add_k", 10, "add_k">, I32EnumAttrCase<"none", 11>]> {
  let cppNamespace = "::mlir::sdp";
  let genSpecializedAttr = 0;
}
def Sdp_BleuSmoothingAttr
    : EnumAttr<Sdp_Dialect, Sdp_BleuSmoothing, "smoothing"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // SDP_NGRAM_ATTRS_TD
