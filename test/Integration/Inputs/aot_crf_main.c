/* Calls an sdpc-built linear-chain CRF library through its generated header:
 * B=2, T=3, C=2, the batch of make_crf_inputs.py. */
#include <stdio.h>
#include <stdlib.h>

#include "lcrf.h"

static float emissions[2][3][2] = {{{0, 1}, {2, .5f}, {0, -1}},
                                   {{1.5f, -2}, {.25f, .75f}, {-.5f, 3}}};
static float transitions[2][2] = {{.5f, -.5f}, {1, 0}};
static float start[2] = {.1f, -.2f}, end[2] = {.3f, 0};
static int32_t lengths[2] = {3, 2};

int main(void) {
  sdp_memref_f32_3d em = {&emissions[0][0][0], &emissions[0][0][0], 0,
                          {2, 3, 2}, {6, 2, 1}};
  sdp_memref_f32_2d tr = {&transitions[0][0], &transitions[0][0], 0, {2, 2},
                          {2, 1}};
  sdp_memref_f32_1d st = {start, start, 0, {2}, {1}};
  sdp_memref_f32_1d en = {end, end, 0, {2}, {1}};
  sdp_memref_i32_1d len = {lengths, lengths, 0, {2}, {1}};

  sdp_memref_f32_1d logz;
  sdp_log_partition(&logz, &em, &tr, &st, &en, &len);
  printf("log_partition %.5f %.5f\n", logz.aligned[logz.offset],
         logz.aligned[logz.offset + logz.strides[0]]);
  free(logz.allocated);

  sdp_viterbi_results best;
  sdp_viterbi(&best, &em, &tr, &st, &en, &len);
  printf("viterbi %.5f %.5f\n", best.result0.aligned[0],
         best.result0.aligned[best.result0.strides[0]]);
  for (int b = 0; b < 2; ++b) {
    printf("path");
    for (int t = 0; t < 3; ++t)
      printf(" %d", best.result1.aligned[best.result1.offset +
                                         b * best.result1.strides[0] +
                                         t * best.result1.strides[1]]);
    printf("\n");
  }
  free(best.result0.allocated);
  free(best.result1.allocated);
  return 0;
}
