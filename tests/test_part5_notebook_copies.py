"""Notebook 13 writes its VAE in view; the library's copy must stay equal to it."""

from pathlib import Path

import jupytext
import numpy as np

from course_lib import runtime

runtime.import_tensorflow()
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers, ops  # noqa: E402

from course_lib.generative import models  # noqa: E402

NOTEBOOK_13 = Path(__file__).resolve().parent.parent / "notebooks" / "13_variational_autoencoders.py"


def digits(n=8, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, (n, 28, 28, 1)).astype("float32")


def notebook_namespace():
    """Run notebook 13's cells that define the encoder, decoder and VAE class."""
    notebook = jupytext.read(NOTEBOOK_13)
    wanted = ("def build_encoder", "class VAE(keras.Model)")
    namespace = {"keras": keras, "layers": layers, "ops": ops, "tf": tf, "np": np}
    found = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and any(marker in cell.source for marker in wanted):
            exec(compile(cell.source, str(NOTEBOOK_13), "exec"), namespace)  # noqa: S102
            found += 1
    assert found == 2, "notebook 13 should define build_encoder/build_decoder and VAE in two cells"
    return namespace


def layer_signature(model):
    return [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
            for layer in model.layers]


def test_notebook_13_builds_the_library_networks():
    notebook = notebook_namespace()
    assert layer_signature(notebook["build_encoder"](2)) == layer_signature(models.dense_encoder(2))
    assert layer_signature(notebook["build_decoder"](2)) == layer_signature(models.dense_decoder(2))


def test_notebook_13_vae_equals_the_library_vae():
    notebook = notebook_namespace()
    encoder, decoder = models.dense_encoder(2), models.dense_decoder(2)
    x = digits(16)
    ours = notebook["VAE"](encoder, decoder, beta=0.7, seed=5)
    library = models.VAE(encoder, decoder, beta=0.7, seed=5)
    for got, want in zip(ours.loss_terms(x), library.loss_terms(x), strict=True):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
    # one training step from the same weights moves them to the same place
    start = [w.numpy() for w in encoder.weights + decoder.weights]
    results = []
    for cls in (notebook["VAE"], models.VAE):
        for weight, value in zip(encoder.weights + decoder.weights, start, strict=True):
            weight.assign(value)
        model = cls(encoder, decoder, beta=0.7, seed=5)
        model.compile(optimizer=keras.optimizers.SGD(0.01))
        model.fit(x, epochs=1, batch_size=16, verbose=0, shuffle=False)
        results.append([w.numpy() for w in encoder.weights + decoder.weights])
    for ours_weight, library_weight in zip(*results, strict=True):
        np.testing.assert_allclose(ours_weight, library_weight, rtol=1e-5, atol=1e-7)
