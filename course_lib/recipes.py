"""Training recipes for MNIST, shared by notebook 07 and the benchmark script.

Each recipe fixes an architecture and how it is trained (epochs, batch size, learning
rate, validation split), so the notebook and ``scripts/benchmark_mnist_recipes.py``
train exactly the same thing. Loads TensorFlow quietly through :mod:`course_lib.backend`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import models, validate
from .backend import keras
from .training import compile_classifier


@dataclass(frozen=True)
class Recipe:
    """An architecture and its training schedule."""

    description: str
    build: Callable[[np.ndarray], keras.Model]  # gets x_train (to read statistics)
    num_epochs: int
    batch_size: int
    learning_rate: float
    cosine_decay: bool = False
    validation_split: float = 0.0


def _lenet(x_train: np.ndarray) -> keras.Model:
    return models.lenet5(standardize=(float(x_train.mean()), float(x_train.std())))


RECIPES: dict[str, Recipe] = {
    "keras_io": Recipe(
        "keras-io Simple MNIST convnet: Conv32-Pool-Conv64-Pool-Dropout-Dense, Adam, "
        "batch 128, 15 epochs, 10 % validation",
        lambda x: models.keras_io_convnet(), 15, 128, 1e-3, validation_split=0.1,
    ),
    "lenet5": Recipe(
        "LeNet-5 (tanh, average pooling) on standardised inputs, Adam 1e-3, batch 32, 6 epochs, "
        "10 % validation (notebook 07)",
        _lenet, 6, 32, 1e-3, validation_split=0.1,
    ),
    "best": Recipe(
        "strided 5x5 stem (16 maps, ReLU) + two [3x3 conv (32 maps) - max pool - BN - ReLU] - "
        "dropout - dense; Adam 5e-3 with cosine decay, batch 128, 8 epochs",
        lambda x: models.mnist_best(), 8, 128, 5e-3, cosine_decay=True,
    ),
}


@dataclass
class Trained:
    """A trained recipe: the model, its ``fit`` history and the training time."""

    model: keras.Model
    history: keras.callbacks.History
    seconds: float

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        """Accuracy on images ``x: (n, 28, 28, 1)`` with labels ``y: (n,)``."""
        x, y = _digits("x", x, "y", y)
        return float(self.model.evaluate(x, y, verbose=0, batch_size=500)[1])


def _digits(x_name: str, x: np.ndarray, y_name: str, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-shaped images and their labels 0-9."""
    x = validate.array(x_name, x, shape=(None, 28, 28, 1), layout="(n, 28, 28, 1) digit images",
                       dtype=np.float32)
    y = validate.array(y_name, y, kind="int", shape=(len(x),), layout=f"(n,) = ({len(x)},) labels")
    if y.min() < 0 or y.max() > 9:
        raise ValueError(f"{y_name} must hold digit labels 0 .. 9, got {y.min()} .. {y.max()}")
    return x, y


def train(
    name: str,
    x_train: np.ndarray,
    y_train: np.ndarray,
    *,
    callbacks: list | None = None,
    num_epochs: int | None = None,
) -> Trained:
    """Build and train recipe ``name`` on ``x_train: (n, 28, 28, 1)``, ``y_train: (n,)``.

    ``num_epochs`` overrides the recipe's (e.g. from a profile). The time excludes
    building and compiling.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a recipe name such as 'lenet5', got {validate.describe(name)}")
    if name not in RECIPES:
        raise ValueError(f"name: unknown recipe {name!r}; choose one of {sorted(RECIPES)}")
    recipe = RECIPES[name]
    x_train, y_train = _digits("x_train", x_train, "y_train", y_train)
    if recipe.validation_split and len(x_train) < 2:
        raise ValueError("x_train must hold at least 2 images: the recipe keeps some for validation")
    if callbacks is not None:
        items = validate.items("callbacks", callbacks, "Keras callbacks")
        for i, callback in enumerate(items):
            validate.instance(f"callbacks[{i}]", callback, keras.callbacks.Callback,
                              "a keras.callbacks.Callback")
        callbacks = items
    epochs = recipe.num_epochs if num_epochs is None else validate.count("num_epochs", num_epochs)
    model = recipe.build(x_train)
    learning_rate: float | keras.optimizers.schedules.LearningRateSchedule = recipe.learning_rate
    if recipe.cosine_decay:
        train_size = len(x_train) * (1 - recipe.validation_split)
        steps = epochs * int(np.ceil(train_size / recipe.batch_size))
        learning_rate = keras.optimizers.schedules.CosineDecay(recipe.learning_rate, steps)
    compile_classifier(model, learning_rate)
    started = time.perf_counter()
    history = model.fit(
        x_train, y_train, epochs=epochs, batch_size=recipe.batch_size,
        validation_split=recipe.validation_split, callbacks=callbacks or [], verbose=0,
    )
    return Trained(model, history, time.perf_counter() - started)
