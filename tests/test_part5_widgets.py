"""Latent-space widgets of notebooks 12-13: their plain functions and their controls."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.widgets import latent


def toy_decoder(codes):
    """Maps a code to an image whose mean brightness is its first coordinate, clipped."""
    codes = np.asarray(codes)
    return np.repeat(np.clip(codes[:, :1], 0, 1), 784, axis=1)


def test_interpolate_gives_the_end_points_and_the_middle():
    a, b = np.array([0.0, 2.0]), np.array([4.0, -2.0])
    path = latent.interpolate(a, b, np.array([0.0, 0.5, 1.0]))
    np.testing.assert_allclose(path, [[0, 2], [2, 0], [4, -2]])
    np.testing.assert_allclose(latent.interpolate(a, b, 0.25), [[1.0, 1.0]])
    with pytest.raises(ValueError, match="code_b"):
        latent.interpolate(a, np.zeros(3), 0.5)


def test_decode_reshapes_to_images():
    images = latent.decode(toy_decoder, np.array([[0.25, 0.0], [1.5, 0.0]]))
    assert images.shape == (2, 28, 28)
    np.testing.assert_allclose(images[:, 0, 0], [0.25, 1.0])
    with pytest.raises(ValueError, match="codes"):
        latent.decode(toy_decoder, np.zeros(2))


def test_render_latent_marks_the_chosen_code():
    rng = np.random.default_rng(0)
    codes, labels = rng.normal(size=(50, 2)), np.arange(50) % 10
    fig, text = latent.render_latent(toy_decoder, codes, labels, 0.5, -1.0)
    assert text == "code (+0.50, -1.00)"
    image = fig.axes[1].images[0].get_array()
    np.testing.assert_allclose(image, 0.5)
    plt.close("all")


def test_render_interpolation_draws_every_model():
    rng = np.random.default_rng(1)
    images = rng.uniform(0, 1, (4, 28, 28, 1))
    decoders = {"AE": toy_decoder, "VAE": toy_decoder}
    codes = {"AE": np.array([[0.0], [1.0], [0.2], [0.3]]), "VAE": np.array([[1.0, 0], [0.0, 0], [0, 0], [0, 0]])}
    fig, text = latent.render_interpolation(decoders, codes, images, 0, 1, 0.25, steps=5)
    assert text == "digit 0 -> digit 1, t = 0.25"
    assert len(fig.axes) == 4                                              # per model: path, point
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), 0.25)    # AE at t = 0.25
    np.testing.assert_allclose(fig.axes[3].images[0].get_array(), 0.75)    # VAE at t = 0.25
    strip = np.asarray(fig.axes[0].images[0].get_array())
    assert strip.shape == (28, 7 * 30 - 2)                                 # 2 digits + 5 steps
    np.testing.assert_allclose(strip[0, 2 * 30 + 4 * 30], 1.0)             # last step: t = 1
    np.testing.assert_allclose(strip[:, 2 * 30], 0.0)                      # first step: t = 0
    assert np.isnan(strip[:, 29]).all()                                    # a gap between images
    plt.close("all")


def test_builders_validate_their_inputs():
    with pytest.raises(ValueError, match="codes"):
        latent.latent_explorer(toy_decoder, np.zeros((10, 3)), np.zeros(10, int))
    with pytest.raises(ValueError, match="same"):
        latent.interpolation_explorer({"AE": toy_decoder}, {"VAE": np.zeros((2, 1))}, np.zeros((2, 28, 28, 1)))


def test_latent_explorer_redraws_when_a_slider_moves(set_value, drawings):
    rng = np.random.default_rng(2)
    widget = latent.latent_explorer(toy_decoder, rng.normal(size=(100, 2)), np.arange(100) % 10)
    z1 = widget.children[0].children[0]
    before = len(drawings)
    printed = set_value(z1, z1.max)
    assert len(drawings) == before + 1 and f"{z1.max:+.2f}" in printed
    plt.close("all")


def test_latent_figure_is_updated_in_place():
    rng = np.random.default_rng(3)
    codes, labels = rng.normal(size=(40, 2)), np.arange(40) % 10
    figure = latent.LatentFigure(codes, labels)
    first, _ = latent.render_latent(toy_decoder, codes, labels, 0.25, 0.0, figure=figure)
    second, text = latent.render_latent(toy_decoder, codes, labels, 1.0, -0.5, figure=figure)
    assert second is first and text == "code (+1.00, -0.50)"
    assert list(figure.cross.get_xdata()) == [1.0] and list(figure.cross.get_ydata()) == [-0.5]
    np.testing.assert_allclose(figure.image.get_array(), 1.0)
    assert figure.right.get_title() == "decoded (+1.0, -0.5)"
    with pytest.raises(ValueError, match="other codes"):
        latent.render_latent(toy_decoder, codes[:10], labels[:10], 0.0, 0.0, figure=figure)
    with pytest.raises(TypeError, match="LatentFigure"):
        latent.render_latent(toy_decoder, codes, labels, 0.0, 0.0, figure="a figure")
    plt.close("all")
