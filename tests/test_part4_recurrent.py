"""Scratch SimpleRNN, LSTM and GRU against Keras layers and tf.GradientTape, in float64."""

import numpy as np
import pytest

from course_lib import runtime, scratch

tf = runtime.import_tensorflow()
import keras  # noqa: E402

LAYERS = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
FORWARD = {"rnn": scratch.rnn_forward, "lstm": scratch.lstm_forward, "gru": scratch.gru_forward}
BACKWARD = {"rnn": scratch.rnn_backward, "lstm": scratch.lstm_backward, "gru": scratch.gru_backward}
WEIGHTS = ("kernel", "recurrent_kernel", "bias")


def relative_error(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12))


def keras_layer(cell, units, features, seed=0):
    """A float64 Keras layer with default arguments and random (not initial) weights."""
    keras.utils.set_random_seed(seed)
    layer = LAYERS[cell](units, return_sequences=True, dtype="float64")
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.get_weights()])
    return layer


def initial_states(cell, batch, units, rng, zero=False):
    count = 2 if cell == "lstm" else 1
    if zero:
        return [np.zeros((batch, units)) for _ in range(count)]
    return [rng.normal(scale=0.5, size=(batch, units)) for _ in range(count)]


def keras_reference(layer, x, states, upstream):
    """Output and gradients of ``sum(layer(x, initial_state) * upstream)``."""
    x_var = tf.constant(x)
    state_vars = [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_var, *state_vars])
        out = layer(x_var, initial_state=state_vars)
        loss = tf.reduce_sum(out * upstream)
    weights = [w.value for w in layer.trainable_weights]
    grads = tape.gradient(loss, [x_var, *weights, *state_vars])
    return out.numpy(), [g.numpy() for g in grads]


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("zero_state", [True, False], ids=["zero_state", "given_state"])
@pytest.mark.parametrize("sizes", [(3, 6, 2, 4), (1, 1, 1, 1), (2, 9, 5, 3)], ids=str)
def test_forward_and_backward_match_keras(cell, zero_state, sizes):
    batch, steps, features, units = sizes
    rng = np.random.default_rng(sum(sizes) + 7 * zero_state)
    layer = keras_layer(cell, units, features)
    x = rng.normal(size=(batch, steps, features))
    states = initial_states(cell, batch, units, rng, zero=zero_state)
    weights = layer.get_weights()
    keyword = dict(zip(("h0", "c0"), states, strict=False))
    h_seq, cache = FORWARD[cell](x, *weights, **keyword)
    upstream = rng.normal(size=h_seq.shape)
    keras_out, keras_grads = keras_reference(layer, x, states, upstream)
    assert h_seq.shape == keras_out.shape == (batch, steps, units)
    assert relative_error(h_seq, keras_out) < 1e-8
    grads = BACKWARD[cell](upstream, cache)
    names = ["x", *WEIGHTS, "h0", "c0"][: 4 + len(states)]
    assert sorted(grads) == sorted(names)
    for name, expected in zip(names, keras_grads, strict=True):
        assert grads[name].shape == expected.shape, name
        assert relative_error(grads[name], expected) < 1e-6, name


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_weights_copy_both_ways(cell):
    """Scratch weights loaded into Keras give the scratch outputs, and back again."""
    rng = np.random.default_rng(1)
    units, features = 3, 2
    multiple = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    ours = [
        rng.normal(size=(features, multiple * units)),
        rng.normal(size=(units, multiple * units)),
        rng.normal(size=(2, 3 * units) if cell == "gru" else (multiple * units,)),
    ]
    layer = LAYERS[cell](units, return_sequences=True, dtype="float64")
    layer.build((None, None, features))
    assert [w.shape for w in layer.get_weights()] == [w.shape for w in ours]
    layer.set_weights(ours)
    x = rng.normal(size=(2, 5, features))
    assert relative_error(FORWARD[cell](x, *ours)[0], layer(x).numpy()) < 1e-8
    back = layer.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(ours, back, strict=True))


def test_keras_defaults_are_the_documented_ones():
    """The scratch layers assume tanh/sigmoid, no unrolling tricks, GRU reset_after=True."""
    assert keras.layers.GRU(4).cell.reset_after
    lstm = keras.layers.LSTM(4)
    assert lstm.cell.activation is keras.activations.tanh
    assert lstm.cell.recurrent_activation is keras.activations.sigmoid


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_backward_passes_a_finite_difference_check(cell):
    rng = np.random.default_rng(2)
    batch, steps, features, units = 2, 4, 3, 2
    layer = keras_layer(cell, units, features, seed=3)
    weights = layer.get_weights()
    x = rng.normal(size=(batch, steps, features))
    states = initial_states(cell, batch, units, rng)
    upstream = rng.normal(size=(batch, steps, units))

    def loss(params):
        x_, kernel, recurrent, bias, *state = params
        h_seq, _ = FORWARD[cell](x_, kernel, recurrent, bias, *state)
        return float(np.sum(h_seq * upstream))

    params = [x, *weights, *states]
    _, cache = FORWARD[cell](*params)
    grads = BACKWARD[cell](upstream, cache)
    names = ["x", *WEIGHTS, "h0", "c0"][: len(params)]
    error = scratch.gradient_check(loss, params, [grads[name] for name in names])
    assert error < 1e-7


def test_a_broken_backward_fails_the_checks():
    """The comparison can fail: dropping the recurrent path breaks the kernel gradient."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 5, 3))
    kernel, recurrent, bias = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)
    h_seq, cache = scratch.rnn_forward(x, kernel, recurrent, bias)
    upstream = rng.normal(size=h_seq.shape)
    right = scratch.rnn_backward(upstream, cache)
    cache.recurrent_kernel = np.zeros_like(recurrent)  # as if h_t did not depend on h_{t-1}
    wrong = scratch.rnn_backward(upstream, cache)
    assert relative_error(wrong["kernel"], right["kernel"]) > 1e-3


def test_lstm_gates_and_cell_state_are_exposed():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 7, 3))
    h_seq, cache = scratch.lstm_forward(
        x, rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    )
    assert set(cache.gates) == {"input", "forget", "candidate", "output", "cell"}
    for name in ("input", "forget", "output"):
        assert cache.gates[name].shape == (2, 7, 2)
        assert np.all((cache.gates[name] > 0) & (cache.gates[name] < 1))
    np.testing.assert_allclose(h_seq, cache.gates["output"] * np.tanh(cache.gates["cell"]))


def test_gru_gates_are_exposed():
    rng = np.random.default_rng(6)
    _, cache = scratch.gru_forward(
        rng.normal(size=(1, 4, 2)), rng.normal(size=(2, 9)), rng.normal(size=(3, 9)),
        rng.normal(size=(2, 9)),
    )
    assert set(cache.gates) == {"update", "reset", "candidate", "recurrent_candidate"}


def test_sigmoid_is_stable_for_large_inputs():
    """No overflow warning and saturated gates for huge pre-activations."""
    x = np.full((1, 2, 1), 1e4)
    with np.errstate(all="raise"):
        h_seq, cache = scratch.lstm_forward(x, np.ones((1, 4)), np.zeros((1, 4)), np.zeros(4))
    assert np.isfinite(h_seq).all() and cache.gates["input"].max() == 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: scratch.rnn_forward(np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 4)), np.ones(4)),
         r"\(batch, time, features\)"),
        (lambda: scratch.rnn_forward(np.ones((2, 3, 5)), np.ones((3, 4)), np.ones((4, 4)), np.ones(4)),
         r"features=5"),
        (lambda: scratch.lstm_forward(np.ones((2, 3, 1)), np.ones((1, 6)), np.ones((1, 4)), np.ones(4)),
         r"4 \* units"),
        (lambda: scratch.lstm_forward(np.ones((2, 3, 1)), np.ones((1, 8)), np.ones((2, 4)), np.ones(8)),
         r"recurrent_kernel.*\(units=2, 4 \* units=8\)"),
        (lambda: scratch.gru_forward(np.ones((2, 3, 1)), np.ones((1, 6)), np.ones((2, 6)), np.ones(6)),
         r"bias.*\(2, 3 \* units\).*reset_after=True"),
        (lambda: scratch.rnn_forward(np.ones((2, 3, 1)), np.ones((1, 4)), np.ones((4, 4)), np.ones(4),
                                     h0=np.ones((3, 4))),
         r"h0.*\(batch=2, units=4\)"),
        (lambda: scratch.lstm_forward(np.ones((2, 3, 1)), np.ones((1, 4)), np.ones((1, 4)), np.ones(4),
                                      c0=np.ones(1)),
         r"c0.*\(batch=2, units=1\)"),
    ],
)
def test_bad_shapes_name_the_expected_layout(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_upstream_and_cache_are_refused():
    h_seq, cache = scratch.rnn_forward(np.ones((2, 3, 1)), np.ones((1, 4)), np.ones((4, 4)), np.ones(4))
    with pytest.raises(ValueError, match=r"dh_seq.*\(batch, time, units\) = \(2, 3, 4\)"):
        scratch.rnn_backward(np.ones((2, 4)), cache)
    with pytest.raises(TypeError, match="cache"):
        scratch.rnn_backward(np.ones_like(h_seq), {"x": 1})
    with pytest.raises(ValueError, match="finite"):
        scratch.gru_forward(np.full((1, 2, 1), np.nan), np.ones((1, 3)), np.ones((1, 3)), np.ones((2, 3)))
    with pytest.raises(TypeError):
        scratch.rnn_forward(None, np.ones((1, 4)), np.ones((4, 4)), np.ones(4))
