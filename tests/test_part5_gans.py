"""Notebook 14: GAN losses and training step, the notebook's copies, shipped GANs, checks, widget."""

from pathlib import Path

import jupytext
import numpy as np
import pytest

from course_lib import runtime

runtime.import_tensorflow()
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

from course_lib import generative  # noqa: E402
from course_lib.checks import Status  # noqa: E402
from course_lib.exercises import gans as exercises  # noqa: E402
from course_lib.generative import gan, pretrained  # noqa: E402
from course_lib.widgets import generative as gan_widgets  # noqa: E402

NOTEBOOK_14 = Path(__file__).resolve().parent.parent / "notebooks" / "14_gans.py"


def notebook_namespace():
    """Run notebook 14's cells that define the networks and the training step."""
    notebook = jupytext.read(NOTEBOOK_14)
    wanted = ("def build_generator", "def make_train_step", "def build_dcgan_generator")
    namespace = {"keras": keras, "layers": layers, "tf": tf, "np": np}
    found = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and any(marker in cell.source for marker in wanted):
            exec(compile(cell.source, str(NOTEBOOK_14), "exec"), namespace)  # noqa: S102
            found += 1
    assert found == 3
    return namespace


def layer_signature(model):
    return [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
            for layer in model.layers]


# ----------------------------------------------------------------------------- notebook copies


def test_notebook_networks_equal_the_library_networks():
    notebook = notebook_namespace()
    assert layer_signature(notebook["build_generator"]()) == layer_signature(gan.point_generator())
    for pack in (1, 2):
        assert layer_signature(notebook["build_discriminator"](pack)) == \
            layer_signature(gan.point_discriminator(pack))
    ours = notebook["build_dcgan_generator"]()
    library = gan.digit_generator()
    assert ours.count_params() == library.count_params()
    assert [type(layer).__name__ for layer in ours.layers] == [type(layer).__name__ for layer in library.layers]
    assert notebook["build_dcgan_discriminator"]().count_params() == gan.digit_discriminator().count_params()


@pytest.mark.parametrize("pack", [1, 2])
def test_notebook_train_step_equals_the_library_step(pack):
    notebook = notebook_namespace()
    keras.utils.set_random_seed(3)
    generator, discriminator = gan.point_generator(hidden=16), gan.point_discriminator(pack, hidden=16)
    start = [w.numpy() for w in generator.weights + discriminator.weights]
    real = generative.ring_data(32, 5)
    results = []
    for make in (notebook["make_train_step"], None):
        for weight, value in zip(generator.weights + discriminator.weights, start, strict=True):
            weight.assign(value)
        optimizers = [keras.optimizers.Adam(1e-3, beta_1=0.5) for _ in range(2)]
        if make is None:
            step = gan.gan_train_step(generator, discriminator, *optimizers, batch_size=32, pack=pack, seed=7)
        else:
            step = make(generator, discriminator, *optimizers, 32, pack, 7, jit_compile=False)
        losses = [np.array(step(real)) for _ in range(2)]
        results.append((losses, [w.numpy() for w in generator.weights + discriminator.weights]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for ours, library in zip(results[0][1], results[1][1], strict=True):
        np.testing.assert_allclose(ours, library, rtol=1e-5, atol=1e-6)
    # and the step moved the weights
    assert not np.allclose(results[1][1][0], start[0])


def test_train_step_losses_match_the_numpy_formula():
    keras.utils.set_random_seed(0)
    generator, discriminator = gan.point_generator(hidden=8), gan.point_discriminator(hidden=8)
    real = generative.ring_data(16, 1)
    real_logits = discriminator(real).numpy()
    step = gan.gan_train_step(generator, discriminator, keras.optimizers.SGD(0.0), keras.optimizers.SGD(0.0),
                              batch_size=16, seed=2)
    d_loss, _ = step(real)
    # the same codes: a fresh SeedGenerator with the same seed draws them again
    z = keras.random.normal((16, 2), seed=keras.random.SeedGenerator(2))
    fake_logits = discriminator(generator(z)).numpy()
    expected, _ = exercises._reference_gan_losses(real_logits, fake_logits)
    np.testing.assert_allclose(float(d_loss), expected, rtol=1e-5)


def test_pack_samples_groups_samples_side_by_side():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    packed = np.asarray(gan.pack_samples(x, 3))
    assert packed.shape == (2, 6)
    np.testing.assert_array_equal(packed[0], np.concatenate([x[0], x[2], x[4]]))
    assert gan.pack_samples(x, 1) is x
    with pytest.raises(ValueError, match="multiple of pack"):
        gan.gan_train_step(gan.point_generator(hidden=4), gan.point_discriminator(2, hidden=4),
                           keras.optimizers.Adam(), keras.optimizers.Adam(), batch_size=5, pack=2)


def test_train_point_gan_records_snapshots_and_is_repeatable():
    runs = [gan.train_point_gan(20, batch_size=32, hidden=16, snapshot_every=10, probe=50, jit_compile=False)
            for _ in range(2)]
    assert runs[0].snapshots.shape == (2, 50, 2)
    assert runs[0].steps.tolist() == [10, 20]
    assert runs[0].d_losses.shape == (20,) and np.all(np.isfinite(runs[0].g_losses))
    np.testing.assert_array_equal(runs[0].snapshots, runs[1].snapshots)


# ----------------------------------------------------------------------------- shipped models


@pytest.mark.parametrize("filename", [gan.GAN_RING_FILE, gan.DCGAN_FILE])
def test_shipped_generators_load_in_safe_mode(filename):
    model = keras.saving.load_model(pretrained.path(filename), safe_mode=True, compile=False)
    assert model.count_params() > 0  # tests/test_part5_generative.py checks the file's contents
    assert pretrained.MADE_BY[filename].startswith("python scripts/train_dcgan.py")


def test_registered_gan_samplers():
    assert {"dcgan", "gan_ring"} <= set(generative.available())
    digits = generative.sample("dcgan", 20, seed=1)
    assert digits.shape == (20, 28, 28, 1) and digits.dtype == np.float32
    assert 0.0 <= digits.min() and digits.max() <= 1.0
    np.testing.assert_array_equal(digits, generative.sample("dcgan", 20, seed=1))
    points = generative.sample("gan_ring", 1000)
    assert points.shape == (1000, 2)
    scores = generative.score_ring(points)
    assert scores.modes_covered == 8 and scores.high_quality_share >= 0.5


# ----------------------------------------------------------------------------- checks


def _good_losses(real_logits, fake_logits):
    return (np.mean(np.logaddexp(0, -real_logits)) + np.mean(np.logaddexp(0, fake_logits)),
            np.mean(np.logaddexp(0, -fake_logits)))


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


WRONG_LOSSES = {
    "saturating generator loss": lambda r, f: (_good_losses(r, f)[0], np.mean(np.log(1 - _sigmoid(f)))),
    "naive logs overflow": lambda r, f: (-np.mean(np.log(_sigmoid(r))) - np.mean(np.log(1 - _sigmoid(f))),
                                         -np.mean(np.log(_sigmoid(f)))),
    "real and fake swapped": lambda r, f: _good_losses(f, r),
    "sums instead of means": lambda r, f: (np.sum(np.logaddexp(0, -r)) + np.sum(np.logaddexp(0, f)),
                                           np.sum(np.logaddexp(0, -f))),
    "one mean over both batches": lambda r, f: (np.mean(np.concatenate([np.logaddexp(0, -r).ravel(),
                                                                        np.logaddexp(0, f).ravel()])),
                                                _good_losses(r, f)[1]),
    "only the discriminator's loss": lambda r, f: _good_losses(r, f)[0],
    "three values": lambda r, f: (*_good_losses(r, f), 0.0),
    "array instead of a number": lambda r, f: (np.logaddexp(0, -r), _good_losses(r, f)[1]),
}


def test_gan_losses_check_accepts_right_answers(capsys):
    assert exercises.check_gan_losses(_good_losses).passed
    assert exercises.check_gan_losses(lambda r, f: tuple(np.float32(v) for v in _good_losses(r, f))).passed
    assert exercises.check_gan_losses(lambda r, f: [np.array(v) for v in _good_losses(r, f)]).passed
    tf_version = lambda r, f: (tf.reduce_mean(tf.nn.softplus(-r)) + tf.reduce_mean(tf.nn.softplus(f)),  # noqa: E731
                               tf.reduce_mean(tf.nn.softplus(-f)))
    assert exercises.check_gan_losses(tf_version).passed


@pytest.mark.parametrize("name", sorted(WRONG_LOSSES))
def test_gan_losses_check_rejects_wrong_answers(name, capsys):
    with np.errstate(all="ignore"):
        result = exercises.check_gan_losses(WRONG_LOSSES[name])
    assert not result.passed
    assert result.outcomes[0].status in (Status.WRONG, Status.CRASHED)


@pytest.mark.parametrize("answer", [None, ..., "losses", lambda r, f: 1 / 0, lambda r, f: (np.nan, np.nan),
                                    lambda r, f: None, lambda r, f: ("a", "b"), lambda r, f: (1e300, 1e300)])
def test_gan_losses_check_survives_malformed_answers(answer, capsys):
    result = exercises.check_gan_losses(answer)
    assert not result.passed


@pytest.mark.parametrize("answer", [2 * np.log(2), np.float32(2 * np.log(2)), np.array(1.386), 1.386, [1.386][0]])
def test_equilibrium_prediction_accepts(answer, capsys):
    assert exercises.check_equilibrium_prediction(answer).passed


@pytest.mark.parametrize("answer", [np.log(2), 0, 0.5, 1, 1.0, 4 * np.log(2), np.log(4) / 2, -1.386,
                                    "1.386", True, np.nan, 1e300, [1.386], np.array([1.386, 1.0]), object()])
def test_equilibrium_prediction_rejects(answer, capsys):
    result = exercises.check_equilibrium_prediction(answer)
    assert not result.passed and result.outcomes[0].status is Status.WRONG


def test_equilibrium_prediction_not_attempted(capsys):
    for stub in (None, ...):
        assert exercises.check_equilibrium_prediction(stub).outcomes[0].status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("settings", [(None, 2, 1e-3, 5), (64, ..., 1e-3, 5)])
def test_discriminator_target_not_attempted(settings, capsys):
    assert exercises.check_discriminator_target(*settings).outcomes[0].status is Status.NOT_ATTEMPTED


@pytest.mark.parametrize("settings", [(0, 2, 1e-3, 5), (64, 5, 1e-3, 5), (64, 2, 0.5, 5), (64, 2, 1e-3, 21),
                                      (64.0, 2, 1e-3, 5), (64, 2, "fast", 5), (64, 2, np.nan, 5),
                                      (True, 2, 1e-3, 5), (64, 2, 1e-3, 10**9)])
def test_discriminator_target_refuses_bad_settings(settings, capsys):
    result = exercises.check_discriminator_target(*settings)
    assert result.outcomes[0].status is Status.WRONG
    assert "must be" in result.outcomes[0].message


def test_discriminator_target_measures(capsys):
    weak = exercises.check_discriminator_target(4, 1, 1e-3, 1)
    assert weak.outcomes[0].status is Status.WRONG and "≈" in weak.outcomes[0].message
    strong = exercises.check_discriminator_target(np.int64(128), 2, np.float32(3e-3), 10)
    assert strong.passed, strong.outcomes[0].message


# ----------------------------------------------------------------------------- widget


def test_render_snapshot_counts_samples_per_mode():
    centres = generative.ring_centres()
    on_two = np.concatenate([np.repeat(centres[:1], 30, 0), np.repeat(centres[3:4], 10, 0), [[0.0, 0.0]]])
    snapshots = np.stack([on_two, on_two + 1.0])
    backgrounds = np.full((2, 5, 5), 0.5)
    fig, text = gan_widgets.render_snapshot(snapshots, ["a", "b"], 0, backgrounds)
    assert "40 of 41 samples" in text
    assert "[30, 0, 0, 10, 0, 0, 0, 0]" in text
    assert fig.axes[0].get_title() == "a"
    _, text = gan_widgets.render_snapshot(snapshots, ["a", "b"], 1)
    assert "0 of 41" in text
    with pytest.raises(ValueError):
        gan_widgets.render_snapshot(snapshots, ["a"], 0)
    with pytest.raises(ValueError):
        gan_widgets.render_snapshot(snapshots, ["a", "b"], 2)
    with pytest.raises(ValueError):
        gan_widgets.render_snapshot(snapshots, ["a", "b"], 0, np.zeros((3, 5, 5)))
