"""Widgets of notebooks 06-08: their update functions, without a browser, and their speed."""


import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib import data, filters, transfer
from course_lib.widgets import adversarial as fgsm_widget
from course_lib.widgets import feature_maps
from course_lib.widgets import filters as filter_widget
from course_lib.widgets import redraw as redraw_module


def drawn(render, *args, **kwargs):
    """Call ``render`` and draw its figure as the front-end would (``make bench`` times it)."""
    result = render(*args, **kwargs)
    figure = result[0] if isinstance(result, tuple) else result
    redraw_module.figure_png(figure)
    plt.close("all")
    return result


@pytest.fixture(scope="module")
def photo():
    return data.load_photo("grace_hopper", gray=True, max_side=200)


@pytest.fixture(scope="module")
def source(source_model_and_test_digits):
    model, x_test, y_test = source_model_and_test_digits
    return model, x_test[:4], y_test[:4]


def test_mask_for_uses_presets_or_the_custom_grid():
    custom = np.arange(9.0).reshape(3, 3)
    np.testing.assert_array_equal(filter_widget.mask_for(filter_widget.CUSTOM, custom), custom)
    np.testing.assert_array_equal(filter_widget.mask_for("emboss", custom), filters.get("emboss"))


def test_filter_render_draws_three_panels(photo):
    figure = drawn(filter_widget.render_filter, photo, filters.get("laplacian of gaussian"))
    assert len(figure.axes) == 3


def test_filter_explorer_redraws_on_a_new_mask(photo, drawings):
    shown = drawings
    widget = filter_widget.filter_explorer(photo)
    preset = widget.children[0].children[0]
    boxes = widget.children[0].children[1].children[1].children
    values = lambda: np.reshape([box.value for box in boxes], (3, 3))  # noqa: E731
    np.testing.assert_array_equal(values(), filters.get("emboss"))  # the boxes show the preset
    preset.value = "sharpen"
    assert shown[-1].axes[2].get_title() == "sharpen" and len(shown) == 2  # one redraw
    np.testing.assert_array_equal(values(), filters.get("sharpen"))
    preset.value = "gaussian"  # 7x7: the boxes keep what they showed
    np.testing.assert_array_equal(values(), filters.get("sharpen"))
    boxes[4].value = 3.0  # an edit switches the menu to the custom mask, one redraw
    assert preset.value == filter_widget.CUSTOM and len(shown) == 4
    assert "custom" in shown[-1].axes[2].get_title()
    expected = filters.get("sharpen")
    expected[1, 1] = 3.0
    np.testing.assert_array_equal(shown[-1].axes[1].images[0].get_array(), expected)
    boxes[0].value = 1.0
    assert len(shown) == 5
    plt.close("all")


def test_mask_numbers_are_large_and_the_boxes_follow_presets(photo):
    figure = drawn(filter_widget.render_filter, photo, filters.get("blur"))
    numbers = figure.axes[1].texts
    assert len(numbers) == 9 and all(text.get_fontsize() >= 12 for text in numbers)
    assert numbers[0].get_text() == "0.11"
    np.testing.assert_array_equal(filter_widget.boxes_for("edge (laplacian)", np.zeros((3, 3))),
                                  filters.get("edge (laplacian)"))
    np.testing.assert_array_equal(filter_widget.boxes_for("gaussian", np.ones((3, 3))),
                                  np.ones((3, 3)))


def test_feature_map_render_checks_its_arguments(source):
    from course_lib import interpret

    model, x, _ = source
    maps = interpret.feature_maps(model, x[0])
    figure = drawn(feature_maps.render_feature_map, x[0], maps, "conv2", 5)
    assert len(figure.axes) == 3
    assert figure.axes[2].get_title() == "all 32 channels of conv2"
    with pytest.raises(ValueError, match="unknown layer"):
        feature_maps.render_feature_map(x[0], maps, "nope", 0)
    with pytest.raises(ValueError, match="channels"):
        feature_maps.render_feature_map(x[0], maps, "conv1", 16)


def test_channel_mosaic_places_every_channel():
    stack = np.arange(2 * 3 * 5, dtype=float).reshape(2, 3, 5)
    mosaic = feature_maps.channel_mosaic(stack, columns=2, gap=1, normalize=False)
    assert mosaic.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(mosaic[3:5, 4:7], stack[..., 3])  # row 1, column 1
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[6:, 4:]).all()  # gaps and the empty tile
    scaled = feature_maps.channel_mosaic(stack, columns=2, gap=1)
    assert np.nanmin(scaled[3:5, 4:7]) == 0 and np.nanmax(scaled[3:5, 4:7]) == 1
    flat = feature_maps.channel_mosaic(np.ones((2, 2, 1)))
    np.testing.assert_array_equal(flat, np.zeros((2, 2)))  # a constant channel stays finite
    with pytest.raises(ValueError, match="channels"):
        feature_maps.channel_mosaic(stack[..., 0])


def test_feature_map_browser_limits_the_channel_slider(source, monkeypatch):
    monkeypatch.setattr(feature_maps, "redraw", lambda output, figure: None)
    model, x, _ = source
    widget = feature_maps.feature_map_browser(model, x)
    _, layer, channel = widget.children[0].children
    layer.value = "conv2"
    assert channel.max == 31
    layer.value = "conv1"
    assert channel.max == 15
    plt.close("all")


def test_fgsm_render_reports_the_prediction(source):
    from course_lib import adversarial

    model, x, y = source
    sign = adversarial.gradient_sign(model, x, y)
    figure, text = drawn(fgsm_widget.render_fgsm, model, x[0], sign[0], 0.0,
                                   transfer.SOURCE_DIGITS)
    assert text.startswith(f"prediction: {transfer.SOURCE_DIGITS[y[0]]} (")
    _, strong = drawn(fgsm_widget.render_fgsm, model, x[0], sign[0], 0.3, transfer.SOURCE_DIGITS)
    assert strong != text


def test_fgsm_explorer_reacts_to_the_slider(source, monkeypatch):
    shown = []
    monkeypatch.setattr(redraw_module, "redraw", lambda output, figure: shown.append(figure))
    model, x, y = source
    widget = fgsm_widget.fgsm_explorer(model, x, y, transfer.SOURCE_DIGITS)
    _, epsilon = widget.children[0].children
    epsilon.value = 0.2
    assert len(shown) == 2 and "0.20" in shown[-1].axes[1].get_title()
    plt.close("all")
