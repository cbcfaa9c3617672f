import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import data, history, plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_image_grid_titles_and_mistakes():
    images = np.random.default_rng(0).random((5, 8, 8, 1))
    axes = plots.image_grid(images, [1, 2, 3, 4, 5], predictions=[1, 2, 0, 4, 5], ncols=3)
    assert len(axes) == 6 and axes[2].get_title() == "3 → 0"
    assert axes[2].title.get_color() == "crimson" and axes[0].title.get_color() == "black"


@pytest.mark.parametrize("shape", [(5, 8), (5, 8, 8, 2)])
def test_image_grid_rejects_bad_shapes(shape):
    with pytest.raises(ValueError, match="images must be"):
        plots.image_grid(np.zeros(shape))


def test_image_grid_rejects_label_count_mismatch():
    with pytest.raises(ValueError, match="labels"):
        plots.image_grid(np.zeros((3, 4, 4)), [1, 2])


def test_decision_boundary_with_a_function_and_multiclass_scores():
    X, y = data.make_2d("blobs", 60)
    ax = plots.decision_boundary(
        lambda points: np.stack([-points[:, 0], points[:, 0], points[:, 1]], 1), X, y, resolution=30
    )
    assert ax.get_xlabel() == "$x_1$" and len(ax.collections) >= 2


def test_decision_boundary_with_a_keras_model():
    import keras

    X, y = data.make_2d("moons", 40)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    ax = plots.decision_boundary(model, X, y, resolution=20)
    assert ax.get_ylabel() == "$x_2$"


def test_decision_boundary_errors():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plots.decision_boundary(lambda p: p[:, 0], np.zeros((5, 3)))
    with pytest.raises(TypeError, match="Keras model"):
        plots.decision_boundary("model", np.zeros((5, 2)))


def test_history_curves_from_dict():
    axes = plots.history_curves({"loss": [1, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]})
    assert [ax.get_title() for ax in axes] == ["loss", "accuracy"]
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 1
    with pytest.raises(ValueError, match="available"):
        plots.history_curves({"loss": [1]}, metrics=["mae"])
    with pytest.raises(TypeError):
        plots.history_curves([1, 2])


def test_timeline_highlights_the_selection():
    events = [(e.year, e.label) for e in history.EVENTS]
    ax = plots.timeline(events, highlight=lambda year, label: year < 1970)
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["1943  McCulloch & Pitts: formal neuron"] == "#1f4e79"
    assert colours["Turing Award: Bengio, Hinton, LeCun  2018"] == "#b5b5b5"
    with pytest.raises(ValueError):
        plots.timeline([])
