"""The from-scratch activations, losses, dense layer, MLP and perceptron against TensorFlow."""

import subprocess
import sys

import numpy as np
import pytest

from course_lib import runtime, scratch
from course_lib.scratch import activations as act
from course_lib.scratch import losses

tf = runtime.import_tensorflow()
import keras  # noqa: E402 - after the quiet TensorFlow import

RNG = np.random.default_rng(0)
TOLERANCE = 1e-6


def rel_error(a, b):
    return scratch.relative_error(np.asarray(a), np.asarray(b))


def tape_gradient(function, *values):
    """Gradients of ``sum(function(*variables))`` with respect to each input, in float64."""
    variables = [tf.Variable(np.asarray(v, dtype=np.float64)) for v in values]
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(function(*variables))
    return [g.numpy() for g in tape.gradient(out, variables)]


# ----------------------------------------------------------------------- activations

KERAS_ACTIVATIONS = {
    "sigmoid": (act.sigmoid, act.sigmoid_derivative, keras.activations.sigmoid),
    "tanh": (act.tanh, act.tanh_derivative, keras.activations.tanh),
    "arctan": (act.arctan, act.arctan_derivative, tf.math.atan),
    "relu": (act.relu, act.relu_derivative, keras.activations.relu),
    "leaky_relu": (
        lambda a: act.leaky_relu(a, 0.1),
        lambda a: act.leaky_relu_derivative(a, 0.1),
        lambda a: keras.activations.leaky_relu(a, negative_slope=0.1),
    ),
    "elu": (
        lambda a: act.elu(a, 0.7),
        lambda a: act.elu_derivative(a, 0.7),
        lambda a: keras.activations.elu(a, alpha=0.7),
    ),
}


@pytest.mark.parametrize("name", KERAS_ACTIVATIONS)
def test_activation_value_and_derivative_match_keras(name):
    function, derivative, reference = KERAS_ACTIVATIONS[name]
    a = RNG.normal(scale=3.0, size=(7, 5))
    a[0, 0] = 40.0  # far in the tails: no overflow warnings
    a[0, 1] = -40.0
    # rtol 1e-7: Keras stores parameters such as the leaky slope as float32 constants
    np.testing.assert_allclose(function(a), reference(tf.constant(a)).numpy(), rtol=1e-7)
    (expected,) = tape_gradient(reference, a)
    np.testing.assert_allclose(derivative(a), expected, rtol=1e-7, atol=1e-15)


def test_softmax_and_its_backward_match_keras():
    a = RNG.normal(size=(6, 4)) * 5
    np.testing.assert_allclose(
        act.softmax(a), keras.activations.softmax(tf.constant(a)).numpy(), rtol=1e-12
    )
    weights = RNG.normal(size=(6, 4))
    (expected,) = tape_gradient(lambda v: keras.activations.softmax(v) * weights, a)
    assert rel_error(act.softmax_backward(weights, act.softmax(a)), expected) < TOLERANCE


def test_maxout_matches_a_reshaped_max():
    a = RNG.normal(size=(5, 6))
    out, cache = act.maxout_forward(a, num_pieces=3)

    def reference(v):
        return tf.reduce_max(tf.reshape(v, (5, 2, 3)), axis=-1)

    np.testing.assert_allclose(out, reference(tf.constant(a)).numpy())
    dout = RNG.normal(size=(5, 2))
    (expected,) = tape_gradient(lambda v: reference(v) * dout, a)
    assert rel_error(act.maxout_backward(dout, cache), expected) < TOLERANCE
    with pytest.raises(ValueError, match="num_pieces"):
        act.maxout_forward(a, num_pieces=4)


def test_activation_layer_interface_and_errors():
    a = RNG.normal(size=(3, 4))
    dout = RNG.normal(size=(3, 4))
    for name in ("sigmoid", "relu", "linear", "softmax"):
        out, cache = act.activation_forward(a, name)
        assert out.shape == a.shape
        assert act.activation_backward(dout, cache).shape == a.shape
    with pytest.raises(ValueError, match="unknown activation"):
        act.activation_forward(a, "swishy")


def test_sigmoid_does_not_overflow():
    with np.errstate(over="raise", invalid="raise"):
        values = act.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])


# ----------------------------------------------------------------------------- losses


def _probabilities(shape):
    return act.softmax(RNG.normal(size=shape))


LOSS_CASES = {
    "mse": (keras.losses.mean_squared_error, lambda: RNG.normal(size=(8, 3)), lambda: RNG.normal(size=(8, 3))),
    "mae": (keras.losses.mean_absolute_error, lambda: RNG.normal(size=(8, 3)), lambda: RNG.normal(size=(8, 3))),
    "binary_cross_entropy": (
        keras.losses.binary_crossentropy,
        lambda: RNG.integers(0, 2, size=(8, 3)).astype(float),
        lambda: RNG.uniform(0.05, 0.95, size=(8, 3)),
    ),
    "categorical_cross_entropy": (
        keras.losses.categorical_crossentropy,
        lambda: np.eye(4)[RNG.integers(0, 4, size=8)],
        lambda: _probabilities((8, 4)),
    ),
    "hinge": (
        keras.losses.hinge,
        lambda: RNG.choice([-1.0, 1.0], size=(8, 3)),
        lambda: RNG.normal(size=(8, 3)),
    ),
}


@pytest.mark.parametrize("name", LOSS_CASES)
def test_loss_value_and_gradient_match_keras(name):
    reference, make_true, make_pred = LOSS_CASES[name]
    loss, gradient = losses.get_loss(name)
    y_true, y_pred = make_true(), make_pred()

    def keras_mean(y):
        return tf.reduce_mean(reference(tf.constant(y_true), y))

    assert loss(y_true, y_pred) == pytest.approx(float(keras_mean(tf.constant(y_pred))), rel=1e-10)
    (expected,) = tape_gradient(keras_mean, y_pred)
    assert rel_error(gradient(y_true, y_pred), expected) < TOLERANCE


def test_hinge_accepts_zero_one_labels_like_keras():
    y_true = RNG.integers(0, 2, size=(6, 1)).astype(float)
    y_pred = RNG.normal(size=(6, 1))
    expected = float(tf.reduce_mean(keras.losses.hinge(y_true, y_pred)))
    assert losses.hinge(y_true, y_pred) == pytest.approx(expected)


def test_cross_entropy_after_softmax_matches_keras_from_logits():
    logits = RNG.normal(size=(5, 3))
    y_true = np.eye(3)[[0, 2, 1, 1, 0]]
    p = act.softmax(logits)
    grad = act.softmax_backward(losses.categorical_cross_entropy_gradient(y_true, p), p)
    (expected,) = tape_gradient(
        lambda z: tf.reduce_mean(keras.losses.categorical_crossentropy(y_true, z, from_logits=True)),
        logits,
    )
    assert rel_error(grad, expected) < TOLERANCE
    np.testing.assert_allclose(grad, (p - y_true) / 5, atol=1e-12)


def test_losses_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        losses.mse(np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="unknown loss"):
        losses.get_loss("cross_entropy")


# ------------------------------------------------------------------------------ dense


def test_dense_forward_matches_a_keras_layer_and_backward_matches_the_tape():
    x = RNG.normal(size=(6, 4))
    layer = keras.layers.Dense(3, dtype="float64")
    layer.build((None, 4))
    layer.set_weights([RNG.normal(size=(4, 3)), RNG.normal(size=(3,))])
    W, b = layer.get_weights()
    out, cache = scratch.dense_forward(x, W, b)
    np.testing.assert_allclose(out, layer(x).numpy(), rtol=1e-12)

    dout = RNG.normal(size=(6, 3))
    expected = tape_gradient(lambda x_, W_, b_: (tf.matmul(x_, W_) + b_) * dout, x, W, b)
    for ours, theirs in zip(scratch.dense_backward(dout, cache), expected, strict=True):
        assert rel_error(ours, theirs) < TOLERANCE
    assert scratch.dense_parameter_count(4, 3) == layer.count_params()


def test_dense_errors_name_the_expected_shapes():
    with pytest.raises(ValueError, match="x.shape"):
        scratch.dense_forward(np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(5))
    with pytest.raises(ValueError, match=r"\(n, in\)"):
        scratch.dense_forward(np.zeros(3), np.zeros((3, 5)), np.zeros(5))
    _, cache = scratch.dense_forward(np.zeros((2, 3)), np.zeros((3, 5)), np.zeros(5))
    with pytest.raises(ValueError, match="dout"):
        scratch.dense_backward(np.zeros((2, 4)), cache)


# -------------------------------------------------------------------------------- MLP


def _keras_copy(mlp, activations):
    model = keras.Sequential(
        [keras.Input((mlp.sizes[0],), dtype="float64")]
        + [
            keras.layers.Dense(units, activation=name, dtype="float64")
            for units, name in zip(mlp.sizes[1:], activations, strict=True)
        ]
    )
    model.set_weights(mlp.get_weights())
    return model


@pytest.mark.parametrize(
    "hidden, output, loss, keras_loss",
    [
        ("tanh", "sigmoid", "binary_cross_entropy", keras.losses.binary_crossentropy),
        ("relu", "softmax", "categorical_cross_entropy", keras.losses.categorical_crossentropy),
        ("sigmoid", "linear", "mse", keras.losses.mean_squared_error),
    ],
)
def test_mlp_gradients_match_gradient_tape(hidden, output, loss, keras_loss):
    n_out = 3 if output == "softmax" else 1
    mlp = scratch.MLP(
        [4, 5, 3, n_out], hidden_activation=hidden, output_activation=output, loss=loss, seed=1
    )
    X = RNG.normal(size=(10, 4))
    y = (
        np.eye(3)[RNG.integers(0, 3, 10)]
        if output == "softmax"
        else RNG.integers(0, 2, size=(10, 1)).astype(float)
    )
    value, grads = mlp.loss_and_gradients(X, y)

    model = _keras_copy(mlp, [hidden, hidden, output])
    with tf.GradientTape() as tape:
        keras_value = tf.reduce_mean(keras_loss(y, model(X)))
    expected = tape.gradient(keras_value, model.trainable_weights)
    assert value == pytest.approx(float(keras_value), rel=1e-10)
    ours = [g for pair in grads for g in pair]
    assert max(rel_error(a, b.numpy()) for a, b in zip(ours, expected, strict=True)) < TOLERANCE


def test_mlp_gradient_check_and_weights_round_trip():
    mlp = scratch.MLP([3, 4, 2], hidden_activation="tanh", output_activation="softmax",
                      loss="categorical_cross_entropy", seed=3)
    X, y = RNG.normal(size=(5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]
    _, grads = mlp.loss_and_gradients(X, y)

    def loss_at(weights):
        probe = scratch.MLP([3, 4, 2], hidden_activation="tanh", output_activation="softmax",
                            loss="categorical_cross_entropy")
        probe.set_weights(weights)
        return probe.loss_and_gradients(X, y)[0]

    error = scratch.gradient_check(loss_at, mlp.get_weights(), [g for p in grads for g in p])
    assert error < 1e-7
    with pytest.raises(ValueError, match="expected 4 arrays"):
        mlp.set_weights(mlp.get_weights()[:2])
    assert mlp.hidden(X).shape == (5, 4)


def test_mlp_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0], dtype=float)
    mlp = scratch.MLP([2, 2, 1], hidden_activation="tanh", seed=0)
    history = mlp.fit(X, y, num_epochs=2000, learning_rate=1.0)
    assert history[-1] < history[0]
    assert np.array_equal((mlp.predict(X)[:, 0] > 0.5).astype(int), y.astype(int))


def test_mlp_rejects_bad_configuration():
    with pytest.raises(ValueError, match="sizes"):
        scratch.MLP([3])
    with pytest.raises(ValueError, match="unknown activation"):
        scratch.MLP([2, 2, 1], hidden_activation="step")


# ----------------------------------------------------------------------- gradcheck


def test_gradient_check_flags_a_wrong_gradient():
    x = RNG.normal(size=(3, 2))

    def f(params):
        return float(np.sum(np.sin(params[0])))

    assert scratch.gradient_check(f, [x], [np.cos(x)]) < 1e-8
    assert scratch.gradient_check(f, [x], [np.sin(x)]) > 0.1
    assert scratch.relative_error(np.zeros(3), np.zeros(3)) == 0.0


# ----------------------------------------------------------------------- perceptron


def test_perceptron_update_moves_towards_a_missed_positive():
    w, b, changed = scratch.perceptron_update(np.array([0.0, -1.0]), 0.0, np.array([1.0, 2.0]), 1)
    assert changed and np.allclose(w, [1.0, 1.0]) and b == 1.0
    w2, b2, changed = scratch.perceptron_update(w, b, np.array([1.0, 2.0]), 1)
    assert not changed and np.allclose(w2, w) and b2 == b


def test_perceptron_converges_on_separable_data_and_not_on_xor():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    t = (X @ np.array([1.0, -2.0]) + 0.3 > 0).astype(int)
    run = scratch.train_perceptron(X, t, num_epochs=200)
    assert run.converged
    assert np.array_equal(scratch.perceptron_predict(X, run.w, run.b), t)

    X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    run = scratch.train_perceptron(X_xor, np.array([0, 1, 1, 0]), num_epochs=200)
    assert not run.converged and min(run.mistakes) > 0
    with pytest.raises(ValueError, match="0 or 1"):
        scratch.train_perceptron(X_xor, np.array([0, 2, 1, 0]))


@pytest.mark.parametrize("algorithm", ["batch", "stochastic", "minibatch"])
def test_adaline_algorithms_reduce_the_squared_loss(algorithm):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 2))
    t = np.where(X[:, 0] - X[:, 1] > 0, 1.0, -1.0)
    lr = 0.5 if algorithm == "batch" else 0.05  # one update per epoch needs a bigger step
    run = scratch.train_neuron(X, t, algorithm=algorithm, learning_rate=lr, num_epochs=10)
    assert run.epoch_losses[-1] < 0.5 * run.epoch_losses[0]
    expected_updates = {"batch": 10, "stochastic": 800, "minibatch": 50}[algorithm]
    assert len(run.update_losses) == expected_updates


def test_neuron_gradient_matches_the_tape():
    X, t = RNG.normal(size=(7, 3)), RNG.normal(size=7)
    w, b = RNG.normal(size=3), 0.4
    from course_lib.scratch import perceptron

    dw, db = perceptron.neuron_squared_gradient(X, t, w, b, "sigmoid")
    expected = tape_gradient(
        lambda w_, b_: tf.reduce_mean((tf.sigmoid(tf.linalg.matvec(X, w_) + b_) - t) ** 2) / 2,
        w,
        b,
    )
    assert rel_error(dw, expected[0]) < TOLERANCE
    assert db == pytest.approx(float(expected[1]), rel=1e-8)


def test_scratch_imports_without_tensorflow():
    code = (
        "import sys; import course_lib.scratch, course_lib.geometry; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
