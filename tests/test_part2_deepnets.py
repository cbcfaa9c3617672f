"""deepnets: the dense networks of notebooks 04-05 and the measurements made on them."""

import numpy as np
import pytest

from course_lib import deepnets

keras = pytest.importorskip("keras")


def test_mlp_layers_follow_the_options():
    model = deepnets.mlp((4,), hidden=(8, 6), num_classes=3, batch_norm=True, dropout=0.5,
                         kernel_regularizer=keras.regularizers.L2(0.1))
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Flatten", "Dense", "BatchNormalization", "Activation", "Dropout",
                     "Dense", "BatchNormalization", "Activation", "Dropout", "Dense"]
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.use_bias for layer in dense] == [False, False, True]
    assert all(layer.kernel_regularizer is not None and layer.bias_regularizer is None
               for layer in dense)
    assert model.output_shape == (None, 3)
    with pytest.raises(ValueError, match="dropout"):
        deepnets.mlp((4,), dropout=1.0)
    with pytest.raises(ValueError, match="hidden"):
        deepnets.mlp((4,), hidden=())


def test_layer_gradient_norms_match_a_tape():
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    model = deepnets.mlp((5,), hidden=(4, 4), num_classes=3, activation="tanh")
    X = np.random.default_rng(0).normal(size=(16, 5)).astype("float32")
    y = np.arange(16) % 3
    norms = deepnets.layer_gradient_norms(model, X, y)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(X)))
    kernels = [layer.kernel for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expected = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    np.testing.assert_allclose(norms, expected, rtol=1e-5)
    assert norms.shape == (3,)


def test_epochs_to_reach_and_identical_units():
    logs = {"val_accuracy": [0.5, 0.79, 0.81, 0.9]}
    assert deepnets.epochs_to_reach(logs, 0.8) == 3
    assert deepnets.epochs_to_reach(logs, 0.95) is None
    with pytest.raises(ValueError, match="accuracy"):
        deepnets.epochs_to_reach(logs, 0.8, metric="accuracy")
    assert deepnets.identical_units(np.repeat([[1.0], [2.0]], 4, axis=1))
    assert not deepnets.identical_units(np.array([[1.0, 1.0], [2.0, 2.1]]))
    with pytest.raises(ValueError, match="kernel"):
        deepnets.identical_units(np.ones(3))


def test_identical_units_tolerates_rounding_but_not_real_differences():
    rng = np.random.default_rng(0)
    column = rng.normal(size=(50, 1)).astype("float32")
    kernel = np.repeat(column, 32, axis=1)
    rounding = kernel * (1 + 1e-6 * rng.standard_normal(kernel.shape).astype("float32"))
    assert deepnets.identical_units(rounding)  # summation order differs across CPUs
    different = kernel.copy()
    different[:, 7] *= 1.01
    assert not deepnets.identical_units(different)
    assert deepnets.identical_units(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="rtol"):
        deepnets.identical_units(kernel, rtol=0)


def test_zero_initialisation_keeps_units_identical_and_glorot_does_not():
    X = np.random.default_rng(0).normal(size=(64, 6)).astype("float32")
    y = (X[:, 0] > 0).astype(int)
    kernels = {}
    for init in ("zeros", "glorot_uniform"):
        keras.utils.set_random_seed(0)
        model = deepnets.mlp((6,), hidden=(5,), num_classes=2, activation="sigmoid",
                             kernel_initializer=init)
        model.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy")
        model.fit(X, y, epochs=3, batch_size=16, verbose=0)
        kernels[init] = deepnets.dense_kernels(model)[0]
    assert deepnets.identical_units(kernels["zeros"]) and np.abs(kernels["zeros"]).max() > 0
    assert not deepnets.identical_units(kernels["glorot_uniform"])
