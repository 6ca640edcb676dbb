"""Copies every .mlir file under the given folders into DIR, one file per
`// -----` section (the MLIR fuzzer's seeds).

usage: split_mlir.py DIR FOLDER...
"""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
count = 0
for folder in sys.argv[2:]:
    for base, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith(".mlir"):
                continue
            with open(os.path.join(base, name), encoding="utf-8") as f:
                text = f.read()
            for section in text.split("// -----"):
                count += 1
                with open(os.path.join(out, "%05d.mlir" % count), "w",
                          encoding="utf-8") as f:
                    f.write(section)
print("%d MLIR seeds" % count)
