"""Side-by-side benchmark: the course's best MNIST recipe, LeNet-5 and the keras-io convnet.

    python scripts/benchmark_mnist_recipes.py [--repeats 3] [--recipes keras_io best] [--json]

All recipes train on the same embedded split (4,000 training digits, 1,000 test digits)
in one process, one after the other, so their timings are comparable. Prints, for each
recipe, test accuracy and training time (mean over repeats, each with its own seed);
``--json`` adds one last line with the same figures for other scripts to read.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from course_lib import data, runtime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1, help="seeds per recipe")
    parser.add_argument("--recipes", nargs="+", default=["keras_io", "lenet5", "best"])
    parser.add_argument("--json", action="store_true", help="end with the results as JSON")
    args = parser.parse_args()

    report = runtime.setup(seed=0, verbose=False)
    import keras

    from course_lib import recipes

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    print(f"device: {report.device}; {len(x_train)} training / {len(x_test)} test digits")
    # one warm-up fit so that TensorFlow's one-off start-up cost is charged to no recipe
    recipes.train("lenet5", x_train[:256], y_train[:256], num_epochs=1)
    results = []
    for name in args.recipes:
        accuracies, seconds = [], []
        for seed in range(args.repeats):
            keras.utils.set_random_seed(seed)
            trained = recipes.train(name, x_train, y_train)
            accuracies.append(trained.accuracy(x_test, y_test))
            seconds.append(trained.seconds)
        print(
            f"{name:<9} test accuracy {np.mean(accuracies):.4f} "
            f"(runs: {', '.join(f'{a:.3f}' for a in accuracies)}), "
            f"training {np.mean(seconds):.1f} s, {trained.model.count_params():,} parameters"
            f"\n          {recipes.RECIPES[name].description}",
            flush=True,
        )
        results.append({"recipe": name, "accuracy": float(np.mean(accuracies)),
                        "seconds": float(np.mean(seconds)),
                        "parameters": int(trained.model.count_params())})
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
