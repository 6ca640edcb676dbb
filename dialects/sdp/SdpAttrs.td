//===- SdpAttrs.td - every attribute of the dialect --------*- tablegen -*-===//
//
// One file for attribute code generation: the dialect's attribute printer
// and parser must be generated once, over all of its attributes.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_ATTRS_TD
#define SDP_ATTRS_TD

include "sdp/SemiringAttrs.td"
include "sdp/NgramAttrs.td"

#endif // SDP_ATTRS_TD
