//===- Timing.h - what every sdp benchmark times with -----------*- C++ -*-===//

#ifndef SDP_BENCH_TIMING_H
#define SDP_BENCH_TIMING_H

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace sdp::bench {

/// Runs `run` once to warm up, then `repeats` times, and returns the median
/// wall time in seconds: robust to the noise of shared machines.
inline double medianSeconds(int repeats, const std::function<void()> &run) {
  run();
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace sdp::bench

#endif // SDP_BENCH_TIMING_H
