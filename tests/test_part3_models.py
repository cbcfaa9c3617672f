"""Keras builders of notebooks 07-08: shapes, parameter counts, equivalences."""

import numpy as np
import pytest

from course_lib import runtime

runtime.import_tensorflow()
import keras  # noqa: E402

from course_lib import models, transfer  # noqa: E402
from course_lib.exercises import convnets  # noqa: E402


def test_lenet5_has_61706_parameters_and_the_lecture_sizes():
    lenet = models.lenet5()
    assert lenet.count_params() == 61_706 == sum(convnets.lenet5_parameters(28).values())
    sizes = {layer.name: tuple(layer.output.shape[1:]) for layer in lenet.layers}
    assert sizes["C1"] == (28, 28, 6) and sizes["S2"] == (14, 14, 6)
    assert sizes["C3"] == (10, 10, 16) and sizes["S4"] == (5, 5, 16)


def test_standardize_adds_no_parameters_and_centres_inputs():
    lenet = models.lenet5(standardize=(0.5, 0.25))
    assert lenet.count_params() == 61_706
    scaled = lenet.get_layer("standardize")(np.array([[0.5, 0.75]], dtype="float32"))
    np.testing.assert_allclose(np.asarray(scaled), [[0.0, 1.0]], atol=1e-6)


def test_lenet5_rejects_a_bad_shape():
    with pytest.raises(ValueError, match="height, width, channels"):
        models.lenet5(input_shape=(28, 28))


def test_alexnet_has_about_sixty_million_parameters():
    alexnet = models.alexnet()
    assert alexnet.get_layer("conv1").output.shape[1:] == (55, 55, 96)
    assert alexnet.get_layer("pool5").output.shape[1:] == (6, 6, 256)
    assert alexnet.count_params() == 60_965_224
    assert models.alexnet(groups=1).count_params() > alexnet.count_params()


def test_local_response_normalization_formula():
    layer = models.LocalResponseNormalization(depth=3, bias=1.0, alpha=1.0, beta=0.5)
    x = np.array([1.0, 2.0, 0.0, 3.0], dtype="float32").reshape(1, 1, 1, 4)
    squares = x.ravel() ** 2
    padded = np.pad(squares, 1)
    expected = x.ravel() / np.sqrt(1.0 + padded[:-2] + padded[1:-1] + padded[2:])
    np.testing.assert_allclose(np.asarray(layer(x)).ravel(), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="odd"):
        models.LocalResponseNormalization(depth=4)


def test_blocks_have_the_documented_shapes():
    inputs = keras.Input((16, 16, 8))
    assert models.vgg_block(inputs, 12).shape[1:] == (8, 8, 12)
    assert models.inception_module(inputs, 4, 4, 6, 2, 3, 5).shape[1:] == (16, 16, 18)
    assert models.residual_block(inputs, 8).shape[1:] == (16, 16, 8)
    assert models.residual_block(inputs, 16, strides=2, name="down").shape[1:] == (8, 8, 16)


def test_residual_block_with_zero_branch_is_relu_of_the_input():
    inputs = keras.Input((5, 5, 3))
    block = keras.Model(inputs, models.residual_block(inputs, 3, batch_norm=False))
    block.set_weights([np.zeros_like(w) for w in block.get_weights()])
    x = np.random.default_rng(0).normal(size=(2, 5, 5, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(block(x)), np.maximum(x, 0.0), atol=1e-6)


def test_deep_convnet_variants_have_equal_parameters():
    plain = models.deep_convnet(4, residual=False)
    residual = models.deep_convnet(4, residual=True)
    assert plain.count_params() == residual.count_params()
    with pytest.raises(ValueError, match="even"):
        models.deep_convnet(3, residual=True)


def test_fully_convolutional_equals_the_classifier_on_every_window():
    source = transfer.load_source_model()
    sliding = models.fully_convolutional(source)
    rng = np.random.default_rng(1)
    strip = rng.uniform(size=(1, 28, 44, 1)).astype("float32")
    scores = np.asarray(sliding(strip))[0, 0]
    assert scores.shape == (5, 5)  # (44 - 28) / 4 + 1 positions
    for position in range(5):
        window = strip[:, :, 4 * position : 4 * position + 28]
        np.testing.assert_allclose(scores[position], np.asarray(source(window))[0], atol=1e-5)


def test_siamese_distance_and_contrastive_loss():
    embedding = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, use_bias=False)])
    embedding.set_weights([np.eye(3, 2, dtype="float32")])
    network = models.siamese(embedding)
    a = np.array([[0.0, 0.0, 9.0], [1.0, 1.0, 0.0]], dtype="float32")
    b = np.array([[3.0, 4.0, 0.0], [1.0, 1.0, 5.0]], dtype="float32")
    distance = np.asarray(network([a, b]))
    np.testing.assert_allclose(distance, [5.0, 0.0], atol=1e-3)
    loss = models.contrastive_loss(margin=1.0)
    value = loss(np.array([1.0, 0.0]), np.array([0.5, 0.25], dtype="float32"))
    np.testing.assert_allclose(float(value), (0.25 + 0.5625) / 2, rtol=1e-6)


def test_feature_extractor_and_transfer_classifier():
    source = transfer.load_source_model()
    features = models.feature_extractor(source)
    assert features.output_shape[1:] == (800,)
    classifier = models.transfer_classifier(features, 5, trainable=False)
    assert not features.trainable
    assert len(classifier.trainable_weights) == 4  # only the new head
    with pytest.raises(ValueError, match="no layer named"):
        models.feature_extractor(source, "nope")
