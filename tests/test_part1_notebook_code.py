"""The perceptron loop notebook 02 shows equals the library's rule (scratch.train_perceptron)
and the reference of its one-epoch exercise."""

import numpy as np
from conftest import notebook_definitions

from course_lib import scratch
from course_lib.exercises import perceptron as ex02


def test_notebook_perceptron_epoch_is_the_library_rule():
    perceptron_epoch = notebook_definitions("02_perceptron", "perceptron_epoch")["perceptron_epoch"]
    rng = np.random.default_rng(5)
    t = np.arange(60) % 2
    X = np.where(t[:, None] == 1, [0.0, 2.0], [2.0, 0.0]) + rng.normal(scale=0.4, size=(60, 2))
    run = scratch.train_perceptron(X, t, num_epochs=50, seed=3)
    order_rng = np.random.default_rng(3)
    w, b, mistakes = np.zeros(2), 0.0, []
    for _ in run.mistakes:
        order = order_rng.permutation(len(X))
        w, b, epoch_mistakes = perceptron_epoch(X[order], t[order], w, b)
        mistakes.append(epoch_mistakes)
    assert run.converged and mistakes == run.mistakes
    np.testing.assert_array_equal(w, run.w)
    assert b == run.b


def test_notebook_loop_gives_the_exercise_reference():
    perceptron_epoch = notebook_definitions("02_perceptron", "perceptron_epoch")["perceptron_epoch"]
    w, b, _ = perceptron_epoch(*scratch.boolean_gate("OR"), np.zeros(2), 0.0)
    assert (*w, b) == ex02.first_epoch_weights()
