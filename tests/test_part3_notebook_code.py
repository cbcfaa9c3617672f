"""The Keras code notebook 07 shows equals the library copies that scripts and other
notebooks reuse (models.lenet5, models.vgg_block, the course's MNIST recipe)."""

import numpy as np
from conftest import notebook_definitions

from course_lib import models, recipes, runtime

runtime.import_tensorflow()
import keras  # noqa: E402


def layer_summary(model):
    return [(type(layer).__name__, layer.name, tuple(layer.output.shape[1:]), layer.count_params())
            for layer in model.layers]


def test_notebook_lenet5_is_the_library_lenet5():
    lenet5 = notebook_definitions("07_convnets", "lenet5")["lenet5"]
    assert layer_summary(lenet5()) == layer_summary(models.lenet5())
    assert layer_summary(lenet5(standardize=(0.1, 0.3))) == layer_summary(
        models.lenet5(standardize=(0.1, 0.3)))
    x = np.random.default_rng(0).uniform(size=(2, 28, 28, 1)).astype("float32")
    ours, theirs = lenet5(standardize=(0.1, 0.3)), models.lenet5(standardize=(0.1, 0.3))
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(ours(x), theirs(x), atol=1e-6)


def test_notebook_vgg_block_is_the_library_block():
    vgg_block = notebook_definitions("07_convnets", "vgg_block")["vgg_block"]
    inputs = keras.Input((16, 16, 8))
    ours = keras.Model(inputs, vgg_block(inputs, 12, num_convs=3))
    theirs = keras.Model(inputs, models.vgg_block(inputs, 12, num_convs=3))
    assert [type(layer).__name__ for layer in ours.layers] == [type(layer).__name__ for layer in theirs.layers]
    assert ours.count_params() == theirs.count_params()
    assert ours.output.shape == theirs.output.shape


def test_the_solution_of_exercise_4_is_the_course_recipe(monkeypatch):
    train_small_cnn = notebook_definitions("07_convnets", "train_small_cnn")["train_small_cnn"]
    fitted = {}

    def record_fit(self, x, y, **options):
        fitted.update(options)
        return keras.callbacks.History()

    monkeypatch.setattr(keras.Model, "fit", record_fit)
    x = np.zeros((4000, 28, 28, 1), "float32")
    model, _ = train_small_cnn(x, np.zeros(4000, "int64"))
    recipe = recipes.RECIPES["best"]
    library = recipe.build(x)
    def shape_of(network):
        return [(kind, shape, count) for kind, _, shape, count in layer_summary(network)]

    assert shape_of(model) == shape_of(library)
    assert fitted["epochs"] == recipe.num_epochs and fitted["batch_size"] == recipe.batch_size
    schedule = model.optimizer.learning_rate if not hasattr(model.optimizer, "_learning_rate") \
        else model.optimizer._learning_rate
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay) == recipe.cosine_decay
    assert np.isclose(float(schedule.initial_learning_rate), recipe.learning_rate)
