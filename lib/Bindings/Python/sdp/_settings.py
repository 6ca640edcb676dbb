"""Process-wide settings of the sdp package."""

# Threads a batch-parallel call of the named functions may use (0: one per
# core); see sdp.set_num_threads.
num_threads = 0
