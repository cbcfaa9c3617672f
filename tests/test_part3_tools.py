"""Filters, transfer-learning data, FGSM and interpretation helpers of notebooks 06-08."""

import subprocess
import sys

import numpy as np
import pytest
from scipy import signal

from course_lib import filters, transfer


def test_masks_match_the_lecture_and_sum_as_expected():
    assert filters.get("emboss").tolist() == [[2, 0, 0], [0, -1, 0], [0, 0, -1]]
    assert filters.get("laplacian of gaussian")[2, 2] == 16
    for name in ("blur", "gaussian", "identity", "sharpen"):
        assert np.isclose(filters.get(name).sum(), 1.0)
    for name in ("emboss", "laplacian of gaussian", "edge (laplacian)"):
        assert np.isclose(filters.get(name).sum(), 0.0)
    mask = filters.get("blur")
    mask[0, 0] = 99  # a copy: the library's mask is untouched
    assert filters.get("blur")[0, 0] == pytest.approx(1 / 9)


def test_gaussian_is_normalised_and_symmetric():
    mask = filters.gaussian(5, 1.0)
    assert mask.shape == (5, 5) and np.isclose(mask.sum(), 1.0)
    np.testing.assert_allclose(mask, mask.T)
    assert mask[2, 2] == mask.max()
    with pytest.raises(ValueError, match="odd"):
        filters.gaussian(4)


def test_apply_is_a_cross_correlation():
    rng = np.random.default_rng(0)
    image = rng.uniform(size=(12, 10))
    mask = rng.normal(size=(3, 3))
    inner = filters.apply(image, mask)[1:-1, 1:-1]
    np.testing.assert_allclose(inner, signal.correlate2d(image, mask, mode="valid"))
    colour = rng.uniform(size=(6, 7, 3))
    assert filters.apply(colour, mask).shape == colour.shape
    with pytest.raises(ValueError, match="mask"):
        filters.apply(image, np.ones(3))


def test_for_display_maps_into_the_unit_range():
    signed = np.array([[-2.0, 0.0, 1.0]])
    shown = filters.for_display(signed)
    assert shown.min() >= 0 and shown.max() <= 1 and shown[0, 1] == 0.5
    unit = np.array([[0.2, 0.8]])
    np.testing.assert_array_equal(filters.for_display(unit), unit)


def test_for_display_keeps_a_blur_that_rounding_pushed_past_one():
    # Nine times 1/9 sums to 1.0000000000000002: a blurred white pixel lands a hair above 1.
    blurred = filters.apply(np.array([[0.0, 1.0, 1.0, 1.0, 1.0]] * 5), filters.get("blur"))
    assert blurred.max() > 1.0
    shown = filters.for_display(blurred)
    assert shown.max() == 1.0 and shown.min() == blurred.min()  # a brightness, not mid-grey
    np.testing.assert_allclose(shown, blurred, atol=1e-12)
    # A real signed response is still centred on mid-grey.
    assert filters.for_display(np.array([[-1e-3, 0.5, 1.0]]))[0, 1] > 0.5


def test_tasks_are_disjoint_and_relabelled():
    (x_src, y_src), (_, y_src_test) = transfer.source_task()
    assert set(y_src) == set(range(5)) and len(x_src) == 2000 and len(y_src_test) == 500
    (x_t, y_t), (x_tt, y_tt) = transfer.target_task(7, seed=3)
    assert x_t.shape == (35, 28, 28, 1) and np.bincount(y_t).tolist() == [7] * 5
    assert len(x_tt) == 500
    with pytest.raises(ValueError, match="per_class"):
        transfer.target_task(0)


def test_make_pairs_balances_same_and_different():
    y = np.repeat(np.arange(3), 10)
    x = y.astype(float)[:, None]
    a, b, same = transfer.make_pairs(x, y, 40, seed=0)
    assert same.mean() == 0.5
    np.testing.assert_array_equal(a[:, 0] == b[:, 0], same == 1)
    with pytest.raises(ValueError, match="two classes"):
        transfer.make_pairs(x[:5], y[:5], 4)


def test_missing_model_names_the_script(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_source_model"):
        transfer.load_source_model(tmp_path / "absent.keras")


def test_light_modules_do_not_import_tensorflow():
    code = (
        "import sys; import course_lib.filters, course_lib.transfer, course_lib.widgets, "
        "course_lib.exercises.convolution, course_lib.exercises.convnets, "
        "course_lib.exercises.cnn_applications; print('tensorflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture(scope="module")
def source(source_model_and_test_digits):
    model, x_test, y_test = source_model_and_test_digits
    return model, x_test[:200], y_test[:200]


class TestWithTheSourceModel:

    def test_fgsm_moves_pixels_by_epsilon_and_lowers_accuracy(self, source):
        from course_lib import adversarial

        model, x, y = source
        sign = adversarial.gradient_sign(model, x, y)
        assert set(np.unique(sign)) <= {-1.0, 0.0, 1.0}
        x_adv = adversarial.fgsm(x, sign, 0.1)
        assert np.abs(x_adv - x).max() <= 0.1 + 1e-6
        assert x_adv.min() >= 0 and x_adv.max() <= 1
        accuracies = adversarial.accuracy_under_attack(model, x, y, [0.0, 0.1, 0.25])
        assert accuracies[0] > 0.9 and accuracies[2] < accuracies[1] < accuracies[0]
        with pytest.raises(ValueError, match="epsilon"):
            adversarial.fgsm(x, sign, -0.1)
        with pytest.raises(ValueError, match="labels"):
            adversarial.gradient_sign(model, x, y[:3])

    def test_interpretation_helpers(self, source):
        from course_lib import interpret

        model, x, y = source
        maps = interpret.feature_maps(model, x[0])
        assert list(maps) == ["conv1", "pool1", "conv2", "pool2"]
        assert maps["conv2"].shape == (11, 11, 32)
        saliency = interpret.saliency(model, x[0], int(y[0]))
        assert saliency.shape == (28, 28) and saliency.max() > 0
        probe = interpret.feature_maps
        before = probe(model, x[0], ["conv2"])["conv2"][..., 3].mean()
        excited = interpret.maximize_activation(model, "conv2", [3], steps=10, start=x[0])
        after = probe(model, excited[0], ["conv2"])["conv2"][..., 3].mean()
        assert excited.shape == (1, 28, 28, 1) and after > before
