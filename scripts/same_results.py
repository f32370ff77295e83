"""Checks that pairs of myobalance files hold the same analysis, bit for bit: every
dataset under /features and /summary and the /events table (values, and NaN where NaN).
Reads with h5py, independently of myobalance's own reader.

    python scripts/same_results.py DIR_A DIR_B      every *.h5 of DIR_A against DIR_B
"""
import sys
from pathlib import Path

import h5py
import numpy as np


def datasets(f, root):
    found = {}
    if root not in f:
        return found

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found[f"{root}/{name}"] = obj[()]
    f[root].visititems(visit)
    return found


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a.view(np.uint8), b.view(np.uint8))
    return np.array_equal(a, b)


def compare(path_a, path_b):
    problems = []
    with h5py.File(path_a, "r") as fa, h5py.File(path_b, "r") as fb:
        for root in ("features", "summary", "events"):
            da, db = datasets(fa, root), datasets(fb, root)
            if sorted(da) != sorted(db):
                problems.append(f"{root}: datasets differ: {sorted(set(da) ^ set(db))}")
                continue
            problems += [f"{name} differs" for name in da if not same(da[name], db[name])]
        if "features" not in fa:
            problems.append("no /features")
    return problems


def main():
    a, b = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(a.glob("*.h5"))
    if not files:
        sys.exit(f"same_results: no .h5 files in {a}")
    bad = 0
    for path in files:
        other = b / path.name
        problems = ["missing"] if not other.exists() else compare(path, other)
        if problems:
            bad += 1
            print(f"{path.name}: " + "; ".join(problems))
    print(f"same_results: {len(files) - bad} of {len(files)} files identical in features, summary and events")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
