"""Transfer learning on digits: the source and target tasks of notebook 08.

The *source* task is recognising the digits 0-4; a small CNN trained on it ships in
``data/`` (made by ``scripts/train_source_model.py``). The *target* task is recognising
the digits 5-9 from only a handful of labelled examples: the pretrained filters (strokes,
curves, corners) should help there, which is what transfer learning is about.

Importing this module does not import TensorFlow; :func:`load_source_model` does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import data, validate

SOURCE_DIGITS = (0, 1, 2, 3, 4)
TARGET_DIGITS = (5, 6, 7, 8, 9)
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCE_MODEL_PATH = DATA_DIR / "source_cnn_digits_0_4.keras"
REGENERATE = "python scripts/train_source_model.py"


def _select(x: np.ndarray, y: np.ndarray, digits: tuple[int, ...]):
    keep = np.isin(y, digits)
    # relabel so the classes are 0 .. len(digits) - 1
    lookup = np.full(10, -1, dtype=np.int64)
    lookup[list(digits)] = np.arange(len(digits))
    return x[keep], lookup[y[keep]]


def source_task():
    """The embedded MNIST split restricted to the digits 0-4 (labels 0-4).

    Returns ``(x_train, y_train), (x_test, y_test)``, ``x: (n, 28, 28, 1)`` float32.
    """
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    return _select(x_train, y_train, SOURCE_DIGITS), _select(x_test, y_test, SOURCE_DIGITS)


def target_task(per_class: int = 10, *, seed: int = 0):
    """The digits 5-9 (relabelled 0-4) with only ``per_class`` training images per digit.

    The test set is every 5-9 digit of the embedded test split (500 images).

    Returns ``(x_train, y_train), (x_test, y_test)``; raises ValueError when
    ``per_class`` is not between 1 and 300.
    """
    try:
        per_class = validate.count("per_class", per_class, maximum=300)
    except ValueError:
        raise ValueError(f"per_class must be an int between 1 and 300, got {per_class!r}") from None
    seed = validate.seed("seed", seed)
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_train, y_train = _select(x_train, y_train, TARGET_DIGITS)
    rng = np.random.default_rng(seed)
    chosen = np.concatenate(
        [rng.choice(np.flatnonzero(y_train == label), per_class, replace=False)
         for label in range(len(TARGET_DIGITS))]
    )
    chosen = rng.permutation(chosen)
    return (x_train[chosen], y_train[chosen]), _select(x_test, y_test, TARGET_DIGITS)


def load_source_model(path: str | Path | None = None):
    """Load the pretrained digits-0-4 CNN from ``data/`` (in milliseconds).

    Raises FileNotFoundError, with the command that regenerates it, if it is missing.
    """
    if path is not None and not isinstance(path, str | Path):
        raise TypeError(f"path must be a file path (str or Path), got {validate.describe(path)}")
    path = Path(path) if path is not None else SOURCE_MODEL_PATH
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: regenerate it with `{REGENERATE}`")
    from .backend import keras

    return keras.saving.load_model(path, compile=False)


def make_pairs(x: np.ndarray, y: np.ndarray, n_pairs: int, *, seed: int = 0):
    """Random image pairs for a siamese network, half from the same class, half not.

    Returns ``(x_a, x_b, same)`` with ``x_a, x_b: (n_pairs, ...)`` and ``same: (n_pairs,)``
    float32 (1.0 for a same-class pair).
    """
    x = validate.array("x", x, dtype=None, layout="(n, ...) examples")
    if x.ndim == 0:
        raise ValueError("x must be a batch of examples (n, ...), got a single number")
    y = validate.array("y", y, kind="int", shape=(len(x),), layout=f"(n,) = ({len(x)},) labels")
    n_pairs = validate.count("n_pairs", n_pairs)
    seed = validate.seed("seed", seed)
    if len(np.unique(y)) < 2:
        raise ValueError("pairs need at least two classes in y")
    rng = np.random.default_rng(seed)
    by_class = {label: np.flatnonzero(y == label) for label in np.unique(y)}
    labels = list(by_class)
    first, second, same = [], [], []
    for k in range(n_pairs):
        label = rng.choice(labels)
        a = rng.choice(by_class[label])
        if k % 2 == 0:
            b, flag = rng.choice(by_class[label]), 1.0
        else:
            other = rng.choice([c for c in labels if c != label])
            b, flag = rng.choice(by_class[other]), 0.0
        first.append(a)
        second.append(b)
        same.append(flag)
    return x[first], x[second], np.array(same, dtype=np.float32)


STARTS = ("from scratch", "frozen features", "fine-tuned")


def train_on_target(start: str, x_train, y_train, *, num_epochs: int = 30, seed: int = 0):
    """Train a classifier for the target task, starting as ``start`` says.

    ``"from scratch"``: the source architecture with random weights, all trained.
    ``"frozen features"``: the pretrained layers up to ``flatten`` kept fixed, a new
    dense head trained on top. ``"fine-tuned"``: the frozen-features model, then every
    layer trained a few more epochs with a 10x smaller learning rate, so the pretrained
    filters are adjusted rather than erased.

    Returns the trained ``keras.Model``.
    """
    start = validate.choice("start", start, STARTS)
    x_train = validate.array("x_train", x_train, shape=(None, 28, 28, 1),
                             layout="(n, 28, 28, 1) digit images", dtype=np.float32)
    y_train = validate.array("y_train", y_train, kind="int", shape=(len(x_train),),
                             layout=f"(n,) = ({len(x_train)},) labels")
    if y_train.min() < 0 or y_train.max() >= len(TARGET_DIGITS):
        raise ValueError(f"y_train must hold labels 0 .. {len(TARGET_DIGITS) - 1}")
    num_epochs = validate.count("num_epochs", num_epochs)
    seed = validate.seed("seed", seed)
    from . import models
    from .backend import keras
    from .training import compile_classifier

    keras.utils.set_random_seed(seed)
    base = models.source_cnn() if start == "from scratch" else load_source_model()
    features = models.feature_extractor(base)
    model = models.transfer_classifier(
        features, len(TARGET_DIGITS), trainable=start == "from scratch"
    )
    compile_classifier(model, 1e-3)
    model.fit(*_passes(x_train, y_train, num_epochs, seed), batch_size=32, shuffle=False, verbose=0)
    if start == "fine-tuned":
        features.trainable = True
        compile_classifier(model, 1e-4)  # recompiling makes the change of trainable take effect
        model.fit(*_passes(x_train, y_train, max(1, num_epochs // 3), seed + 1), batch_size=32,
                  shuffle=False, verbose=0)
    return model


def _passes(x: np.ndarray, y: np.ndarray, num_passes: int, seed: int):
    """``num_passes`` shuffled copies of a small training set, one after the other.

    Fitting once on them is ``num_passes`` epochs of training without the per-epoch
    overhead of ``fit``, which dominates when an epoch is a single batch or two.
    """
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(len(x)) for _ in range(num_passes)])
    return x[order], y[order]
