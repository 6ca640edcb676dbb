//===- Sdp.td - everything in the sdp dialect --------------*- tablegen -*-===//
//
// The root of the dialect reference documentation.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_TD
#define SDP_TD

include "sdp/SdpBase.td"
include "sdp/SemiringInterface.td"
include "sdp/SemiringAttrs.td"
include "sdp/SdpOps.td"
include "sdp/NgramOps.td"

#endif // SDP_TD
