"""The from-scratch optimizers follow keras.optimizers step for step (float64)."""

import numpy as np
import pytest

from course_lib import optimizer_match, scratch, surfaces
from course_lib.scratch import optimizers

keras = pytest.importorskip("keras")

NUM_STEPS = 50


def scratch_trajectory(optimizer, seed=0):
    return optimizer_match.scratch_path(optimizer, NUM_STEPS, seed)


def keras_trajectory(optimizer, seed=0):
    return optimizer_match.keras_path(optimizer, NUM_STEPS, seed)


PAIRS = {
    "SGD": (lambda: scratch.SGD(), lambda: keras.optimizers.SGD()),
    "momentum": (
        lambda: scratch.Momentum(learning_rate=0.02, momentum=0.8),
        lambda: keras.optimizers.SGD(learning_rate=0.02, momentum=0.8),
    ),
    "Nesterov": (
        lambda: scratch.Nesterov(),
        lambda: keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
    ),
    "RMSprop": (lambda: scratch.RMSprop(learning_rate=0.01), lambda: keras.optimizers.RMSprop(0.01)),
    # Keras turns beta_1 and beta_2 into float32 numbers before its bias correction, so
    # these tests use betas that float32 holds exactly; the defaults are tested below.
    "Adam": (
        lambda: scratch.Adam(learning_rate=0.05, beta_1=0.875, beta_2=0.9990234375),
        lambda: keras.optimizers.Adam(0.05, beta_1=0.875, beta_2=0.9990234375),
    ),
    "AMSGrad": (
        lambda: scratch.AMSGrad(learning_rate=0.05, beta_2=0.9921875),
        lambda: keras.optimizers.Adam(0.05, beta_2=0.9921875, amsgrad=True),
    ),
    "SGD clipnorm": (
        lambda: scratch.SGD(learning_rate=0.05, clipnorm=0.5),
        lambda: keras.optimizers.SGD(learning_rate=0.05, clipnorm=0.5),
    ),
    "momentum clipvalue": (
        lambda: scratch.Momentum(learning_rate=0.02, clipvalue=0.3),
        lambda: keras.optimizers.SGD(learning_rate=0.02, momentum=0.9, clipvalue=0.3),
    ),
    "Adagrad": (lambda: scratch.Adagrad(learning_rate=0.05), lambda: keras.optimizers.Adagrad(0.05)),
    "Adadelta": (lambda: scratch.Adadelta(learning_rate=1.0, rho=0.75),
                 lambda: keras.optimizers.Adadelta(1.0, rho=0.75)),
    "Adamax": (lambda: scratch.Adamax(learning_rate=0.05, beta_1=0.875, beta_2=0.9990234375),
               lambda: keras.optimizers.Adamax(0.05, beta_1=0.875, beta_2=0.9990234375)),
    "Nadam": (lambda: scratch.Nadam(learning_rate=0.05, beta_1=0.875, beta_2=0.9990234375),
              lambda: keras.optimizers.Nadam(0.05, beta_1=0.875, beta_2=0.9990234375)),
    "Adam global_clipnorm": (
        lambda: scratch.Adam(learning_rate=0.05, beta_1=0.75, beta_2=0.96875, global_clipnorm=1.0),
        lambda: keras.optimizers.Adam(0.05, beta_1=0.75, beta_2=0.96875, global_clipnorm=1.0),
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_trajectory_matches_keras(name):
    make_scratch, make_keras = PAIRS[name]
    ours, theirs = scratch_trajectory(make_scratch()), keras_trajectory(make_keras())
    assert np.abs(ours - theirs).max() < 1e-6
    assert np.abs(ours[-1] - ours[0]).max() > 1e-3


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_with_default_betas_matches_keras_to_float32_precision(amsgrad):
    """With betas like 0.999 Keras's float32 rounding of beta shows, at ~1e-5 of a step."""
    cls = scratch.AMSGrad if amsgrad else scratch.Adam
    ours = scratch_trajectory(cls(learning_rate=0.01))
    theirs = keras_trajectory(keras.optimizers.Adam(0.01, amsgrad=amsgrad))
    assert np.abs(ours - theirs).max() < 0.01 * 1e-4 * NUM_STEPS


EXACT_PAIRS = {
    "SGD": (lambda: scratch.SGD(2**-4), lambda: keras.optimizers.SGD(2**-4)),
    "momentum": (
        lambda: scratch.Momentum(2**-6, momentum=0.875),
        lambda: keras.optimizers.SGD(2**-6, momentum=0.875),
    ),
    "Nesterov": (
        lambda: scratch.Nesterov(2**-6, momentum=0.875),
        lambda: keras.optimizers.SGD(2**-6, momentum=0.875, nesterov=True),
    ),
    "RMSprop": (lambda: scratch.RMSprop(2**-7), lambda: keras.optimizers.RMSprop(2**-7)),
    "Adam": (
        lambda: scratch.Adam(2**-4, beta_1=0.875, beta_2=1 - 2**-10),
        lambda: keras.optimizers.Adam(2**-4, beta_1=0.875, beta_2=1 - 2**-10),
    ),
    "AMSGrad": (
        lambda: scratch.AMSGrad(2**-4, beta_1=0.875, beta_2=1 - 2**-10),
        lambda: keras.optimizers.Adam(2**-4, beta_1=0.875, beta_2=1 - 2**-10, amsgrad=True),
    ),
}


@pytest.mark.parametrize("name", list(EXACT_PAIRS))
def test_float32_exact_hyper_parameters_give_the_same_bits(name):
    """Keras keeps hyper-parameters in float32; values float32 holds exactly leave no gap."""
    make_scratch, make_keras = EXACT_PAIRS[name]
    assert np.abs(scratch_trajectory(make_scratch()) - keras_trajectory(make_keras())).max() < 1e-12


def test_a_wrong_rule_is_caught():
    """Nesterov and plain momentum differ, so the comparison can fail."""
    ours = scratch_trajectory(scratch.Momentum())
    theirs = keras_trajectory(keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True))
    assert np.abs(ours - theirs).max() > 1e-4


def test_defaults_match_keras():
    assert scratch.SGD().learning_rate == pytest.approx(keras.optimizers.SGD().learning_rate.numpy())
    for ours, theirs in ((scratch.RMSprop(), keras.optimizers.RMSprop()), (scratch.Adam(), keras.optimizers.Adam())):
        config = theirs.get_config()
        assert ours.learning_rate == pytest.approx(config["learning_rate"])
        assert ours.epsilon == config["epsilon"]
    assert scratch.RMSprop().rho == keras.optimizers.RMSprop().rho
    adam = keras.optimizers.Adam()
    assert (scratch.Adam().beta_1, scratch.Adam().beta_2) == (adam.beta_1, adam.beta_2)


def test_clipping_functions():
    grad = np.array([3.0, 4.0])
    np.testing.assert_allclose(scratch.clip_by_norm(grad, 1.0), [0.6, 0.8])
    np.testing.assert_allclose(scratch.clip_by_norm(grad, 10.0), grad)
    np.testing.assert_allclose(scratch.clip_by_value(grad, 3.5), [3.0, 3.5])
    clipped = scratch.clip_by_global_norm([grad, np.array([0.0, 0.0, 12.0])], 6.5)
    assert scratch.global_norm(clipped) == pytest.approx(6.5)
    np.testing.assert_allclose(clipped[0], grad / 2)
    with pytest.raises(ValueError, match="max_norm"):
        scratch.clip_by_norm(grad, 0.0)


def test_params_structures_and_errors():
    as_list = [np.ones(2), np.zeros((2, 2))]
    scratch.SGD(learning_rate=0.5).step(as_list, [np.ones(2), np.ones((2, 2))])
    np.testing.assert_allclose(as_list[0], [0.5, 0.5])
    point = np.array([1.0, -1.0])
    result = scratch.Momentum(learning_rate=0.1).step(point, np.array([1.0, 1.0]))
    assert result is point and np.allclose(point, [0.9, -1.1])
    with pytest.raises(TypeError, match="floating-point"):
        scratch.SGD().step({"w": np.array([1, 2])}, {"w": np.array([1, 1])})
    with pytest.raises(ValueError, match="same keys"):
        scratch.SGD().step({"w": np.ones(2)}, {"v": np.ones(2)})
    with pytest.raises(ValueError, match="shape"):
        scratch.SGD().step([np.ones(2)], [np.ones(3)])
    with pytest.raises(ValueError, match="at most one"):
        scratch.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="learning_rate"):
        scratch.Adam(learning_rate=-1.0)


def test_adaptive_step_moves_by_the_learning_rate():
    point = np.array([3.0, 4.0])
    scratch.AdaptiveStep(learning_rate=0.5).step(point, np.array([30.0, 40.0]))
    np.testing.assert_allclose(point, [2.7, 3.6])


def test_optimizers_reach_the_minimum_of_the_bowl():
    for name, cls in optimizers.OPTIMIZERS.items():
        if name == "adaptive step":
            continue
        path = surfaces.trajectory(cls(learning_rate=0.1), "round bowl", num_steps=300)
        start_loss = surfaces.final_loss(path[:1], "round bowl")
        assert surfaces.final_loss(path, "round bowl") < 1e-3 * start_loss, name
