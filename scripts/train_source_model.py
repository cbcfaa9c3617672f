"""Train the pretrained source model of notebook 08 and save it under data/.

    python scripts/train_source_model.py            # writes data/source_cnn_digits_0_4.keras

The model is ``course_lib.models.source_cnn``, trained on the embedded MNIST digits 0-4
(about 2,000 images) with a fixed seed, so a rerun on the same machine gives the same
weights. The file is saved without optimizer state to stay small. Takes about 5 s on
two CPU cores.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from course_lib import runtime, transfer

num_epochs = 8  # the source task is easy: 8 passes reach about 99 %
batch_size = 64
learning_rate = 2e-3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=transfer.SOURCE_MODEL_PATH)
    args = parser.parse_args()

    runtime.setup(seed=0, verbose=False)
    from course_lib import models, training

    (x_train, y_train), (x_test, y_test) = transfer.source_task()
    model = models.source_cnn(num_classes=len(transfer.SOURCE_DIGITS))
    training.compile_classifier(model, learning_rate)
    started = time.perf_counter()
    model.fit(x_train, y_train, epochs=num_epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - started
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)

    # A fresh, uncompiled copy: the saved file then holds no optimizer state.
    clean = models.source_cnn(num_classes=len(transfer.SOURCE_DIGITS))
    clean.set_weights(model.get_weights())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    clean.save(args.output)
    size_kb = args.output.stat().st_size / 1024
    print(
        f"trained on {len(x_train)} digits 0-4 in {seconds:.1f} s; "
        f"test accuracy {accuracy:.4f} on {len(x_test)} digits; "
        f"saved {args.output} ({size_kb:.0f} KiB, {clean.count_params():,} parameters)"
    )


if __name__ == "__main__":
    main()
