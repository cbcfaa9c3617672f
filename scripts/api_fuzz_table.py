"""Try every bad argument on every public callable of course_lib and tabulate the outcomes.

    python scripts/api_fuzz_table.py              # the table
    python scripts/api_fuzz_table.py --details    # and every call that is not a clear error
    python scripts/api_fuzz_table.py data.lorenz63 scratch.mlp   # only matching callables

It runs the specimens of ``tests/api_specimens.py`` exhaustively, one argument swapped at a
time (the unit test ``tests/test_api_fuzz.py`` samples the same calls with Hypothesis):

* every generic bad value for the argument's type, plus the specimen's own edge values,
  must give a clear ``TypeError``/``ValueError`` from course_lib naming the argument;
* every NumPy-scalar or list variant of a valid argument must be accepted;
* every exercise check must give a verdict for any answer.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

BAD_CALL_SECONDS = 60.0  # the table, unlike the unit test, waits a minute to call it a hang
VALID_CALL_SECONDS = 120.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("only", nargs="*", help="run only callables whose name contains one of these")
    parser.add_argument("--details", action="store_true", help="list every call that is not clear")
    parser.add_argument("--bad-seconds", type=float, default=BAD_CALL_SECONDS)
    options = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import api_fuzz as fz
    from api_specimens import SPECIMENS
    from test_api_fuzz import ANSWERS

    from course_lib import checks
    from course_lib.exercises import common

    checks.TIME_LIMIT_S = common.TRAINING_TIME_LIMIT_S = 0.5
    names = [n for n in sorted(SPECIMENS) if not options.only or any(o in n for o in options.only)]
    bad_outcomes: collections.Counter[str] = collections.Counter()
    valid_outcomes: collections.Counter[str] = collections.Counter()
    answer_outcomes: collections.Counter[str] = collections.Counter()
    details: list[str] = []
    started = time.perf_counter()
    broken: list[str] = []
    for name in names:
        specimen = SPECIMENS[name]
        try:
            made = specimen.make()
            parameters = fz.arguments(specimen, made)
        except Exception as error:  # noqa: BLE001 - report the specimen and go on
            broken.append(f"{name}: {type(error).__name__}: {error}")
            continue
        for argument, parameter in parameters.items():
            value = fz.current_value(made, argument)
            if argument in specimen.answers:
                for answer in ANSWERS:
                    result = fz.run(fz.with_argument(made, argument, answer), options.bad_seconds)
                    verdict = fz.judge_answer(result)
                    answer_outcomes[verdict if verdict in ("verdict", "hang") else "raised"] += 1
                    if verdict != "verdict":
                        details.append(f"{name}({argument}={answer!r}): {verdict}")
                continue
            for label, bad in fz.bad_values(specimen, argument, parameter, value):
                result = fz.run(fz.with_argument(made, argument, bad), options.bad_seconds)
                verdict = fz.judge_bad(result, argument)
                bad_outcomes[verdict] += 1
                if verdict != "clear":
                    shown = f"{type(result.error).__name__}: {str(result.error)[:150]}" if result.error else ""
                    details.append(f"{name}({argument}={label}): {verdict} {shown}")
            for label, variant in fz.numpy_variants(value):
                result = fz.run(fz.with_argument(made, argument, variant), VALID_CALL_SECONDS)
                verdict = fz.judge_valid(result, specimen)
                valid_outcomes[label if verdict == "accepted" else "rejected"] += 1
                if verdict != "accepted":
                    details.append(f"{name}({argument} as {label}): {verdict[:200]}")
        print(f"  {name}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started

    total_bad = sum(bad_outcomes.values())
    print(f"\n{len(names)} callables, {total_bad} calls with one bad argument "
          f"({elapsed:.0f} s)\n")
    print("| outcome of a bad argument | count | share |")
    print("|---|---|---|")
    for verdict, count in bad_outcomes.most_common():
        print(f"| {verdict} | {count} | {100 * count / total_bad:.1f} % |")
    total_valid = sum(valid_outcomes.values())
    print(f"\n{total_valid} calls with a valid argument written another way: "
          f"{total_valid - valid_outcomes['rejected']} accepted, {valid_outcomes['rejected']} rejected")
    for label, count in sorted(valid_outcomes.items()):
        print(f"  {label}: {count}")
    total_answers = sum(answer_outcomes.values())
    print(f"\n{total_answers} exercise-check calls with odd answers: "
          + ", ".join(f"{verdict} {count}" for verdict, count in answer_outcomes.most_common()))
    if broken:
        print(f"\n{len(broken)} specimens could not be built:\n" + "\n".join(broken))
    if options.details and details:
        print("\nNot clear:")
        print("\n".join(details))


if __name__ == "__main__":
    main()
