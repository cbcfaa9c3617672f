"""Train the 10-class MNIST classifier behind the course's sample-quality metrics.

    python scripts/train_mnist_classifier.py        # writes data/mnist_classifier.keras

The model is ``course_lib.generative.models.mnist_classifier``, trained with a fixed seed
on the 4,000 embedded training digits (``data.load_mnist()``; the full MNIST download is
not used, so the script runs offline) with random shifts, and saved without its
augmentation layer and without optimizer state. Its 64 ``features`` define the space in
which ``course_lib.generative`` measures Fréchet distances. Takes about 40 s on two CPU
cores (measured: 38 s on a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from course_lib import data, runtime
from course_lib.generative import pretrained

num_epochs = 20
batch_size = 64
learning_rate = 2e-3  # cosine-decayed to zero over the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=pretrained.DATA_DIR / "mnist_classifier.keras")
    args = parser.parse_args()

    runtime.setup(seed=0, verbose=False)
    import keras

    from course_lib.generative import models

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    model = models.mnist_classifier(augment=True, seed=0)
    steps = num_epochs * -(-len(x_train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    model.fit(x_train, y_train, epochs=num_epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - started

    clean = models.for_inference(model, lambda: models.mnist_classifier(augment=False))
    accuracy = (clean.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    clean.save(args.output)
    size_kb = args.output.stat().st_size / 1024
    print(
        f"trained on {len(x_train)} digits in {seconds:.1f} s; test accuracy {accuracy:.4f} "
        f"on {len(x_test)} held-out digits; saved {args.output} ({size_kb:.0f} KiB, "
        f"{clean.count_params():,} parameters)"
    )


if __name__ == "__main__":
    main()
