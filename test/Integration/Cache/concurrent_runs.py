"""Starts N copies of a command at once; fails unless every one succeeds
with the same output.

usage: concurrent_runs.py N COMMAND...
"""
import subprocess
import sys

count, command = int(sys.argv[1]), sys.argv[2:]
processes = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(count)]
outputs = [p.communicate()[0] for p in processes]
codes = [p.returncode for p in processes]
assert codes == [0] * count, codes
assert len(set(outputs)) == 1, "outputs differ"
