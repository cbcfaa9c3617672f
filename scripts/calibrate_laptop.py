"""Fit the laptop model's slowdown factors (``scripts/laptop_model.py``) on this machine.

    python scripts/calibrate_laptop.py [--repeats 1]

The reference: notebooks 00-08 of commit 99e29d1 were timed on an idle 2-core AMD EPYC with
AVX2 but no AVX-512, each notebook alone under nbval (the times below). This script checks
that commit out in a temporary git worktree, runs each of those notebooks here the way
``make bench`` runs a notebook, AVX2-limited and under ``perf`` (going on past a cell that
fails, as nbval does: some of that commit's stored outputs do not hold here), fits one factor per kind of
work so that the predictions match the laptop's times, and writes the factors, the profiles
and the leave-one-out errors to ``scripts/laptop_model.json``. Run it on an idle machine, and
again whenever the machine that runs ``make bench`` changes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402
import laptop_model  # noqa: E402

from course_lib import maintenance  # noqa: E402

REFERENCE_COMMIT = "99e29d1eabb71251d7e9157516f5bf939ce44f52"
# seconds per notebook, idle 2-core AMD EPYC with AVX2 and no AVX-512, nbval, one at a time
REFERENCE_LAPTOP_SECONDS = {"00": 18.5, "01": 25.5, "02": 13.5, "03": 18.0, "04": 32.2,
                            "05": 45.6, "06": 14.6, "07": 83.0, "08": 52.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="profiled runs per notebook (mean)")
    args = parser.parse_args()
    variables = maintenance.numeric_environment("avx2")
    profiles, laptop = {}, []
    with tempfile.TemporaryDirectory(prefix="course-reference-") as folder:
        tree = Path(folder) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree),
                        REFERENCE_COMMIT], check=True, capture_output=True)
        try:
            environment = bench.notebook_environment({**variables, "PYTHONPATH": str(tree)})
            for number, seconds in REFERENCE_LAPTOP_SECONDS.items():
                path = next((tree / "notebooks").glob(f"{number}_*.ipynb"))
                runs = [laptop_model.profiled_run(bench.notebook_command(path, allow_errors=True),
                                                   environment, tree)[0]
                        for _ in range(args.repeats)]
                shares = {kind: sum(r.shares[kind] for r in runs) / len(runs)
                          for kind in laptop_model.KINDS}
                profiles[number] = laptop_model.Profile(sum(r.seconds for r in runs) / len(runs), shares)
                laptop.append(seconds)
                print(f"{number}: {profiles[number].seconds:.1f} s here (laptop {seconds} s); "
                      + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()), flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)
    factors, held_out = laptop_model.fit(list(profiles.values()), laptop)
    predicted = {n: laptop_model.predict(p, factors) for n, p in profiles.items()}
    model = {
        "factors": factors,
        "fitted_on": {"cpu": laptop_model.cpu_model(), "date": time.strftime("%Y-%m-%d"),
                      "environment": variables, "reference_commit": REFERENCE_COMMIT},
        "notebooks": {n: {"here_s": round(p.seconds, 2), "laptop_s": REFERENCE_LAPTOP_SECONDS[n],
                          "predicted_s": round(predicted[n], 2), "leave_one_out_error": round(e, 3),
                          "shares": {k: round(v, 3) for k, v in p.shares.items()}}
                      for (n, p), e in zip(profiles.items(), held_out, strict=True)},
    }
    laptop_model.MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    print("\nfactors: " + ", ".join(f"{k} x{v:.2f}" for k, v in factors.items()))
    print("| notebook | here, AVX2-limited | laptop | predicted | leave-one-out error |")
    print("|---|---|---|---|---|")
    for (number, profile), error in zip(profiles.items(), held_out, strict=True):
        print(f"| {number} | {profile.seconds:.1f} | {REFERENCE_LAPTOP_SECONDS[number]:.1f} | "
              f"{predicted[number]:.1f} | {error:+.0%} |")
    print(f"wrote {laptop_model.MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
