"""Keras builders for the convolutional networks of notebooks 07 and 08.

Whole networks are returned as ``keras.Model``; building blocks
(VGG block, Inception module, residual block) take and return Functional-API tensors
so they compose into larger networks. Loads TensorFlow quietly through
:mod:`course_lib.backend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import validate
from .backend import keras

layers, ops = keras.layers, keras.ops

# (kernel, stride, padding) of each spatial stage, to check an input is large enough.
Stages = Sequence[tuple[int, int, str]]


def _shape(name: str, value: Sequence[int], stages: Stages = ()) -> tuple[int, ...]:
    """``(height, width, channels)``, large enough for the network's ``stages``."""
    shape = validate.shape(name, value, ndim=3, layout="(height, width, channels)")
    for axis, label in ((0, "height"), (1, "width")):
        size = shape[axis]
        for kernel, stride, padding in stages:
            size = -(-size // stride) if padding == "same" else (size - kernel) // stride + 1
            if size < 1:
                raise ValueError(
                    f"{name} {shape}: the {label} ({shape[axis]}) is too small for this "
                    "network's convolutions and poolings"
                )
    return shape


def _tensor(x: Any) -> Any:
    return validate.keras_tensor("x", x, ndim=4, layout="(batch, height, width, channels)")


def _activation(name: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | complex | bytes):
        raise TypeError(f"{name} must be a Keras activation such as 'relu', got {validate.describe(value)}")
    try:
        keras.activations.get(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name}: Keras does not know {value!r} ({error})") from None
    return value


def _label(name: str) -> str:
    return validate.text("name", name, allow_empty=True)


# conv 3x3 -> pool 2 -> conv 3x3 -> pool 2, all without padding
_TWO_CONV_STAGES: Stages = ((3, 1, "valid"), (2, 2, "valid"), (3, 1, "valid"), (2, 2, "valid"))


# ----------------------------------------------------------------------------- LeNet-5


def lenet5(
    input_shape: Sequence[int] = (28, 28, 1),
    num_classes: int = 10,
    activation: str = "tanh",
    *,
    standardize: tuple[float, float] | None = None,
) -> keras.Sequential:
    """LeNet-5 (LeCun et al., 1998) as in the lecture's Keras code, written for Keras 3.

    C1: 6 maps 5x5 "same" -> S2: average pooling -> C3: 16 maps 5x5 "valid" -> S4:
    average pooling -> C5: dense 120 -> F6: dense 84 -> softmax over ``num_classes``.
    On 28x28 digits it has 61,706 parameters.

    Keras 3 differences from the lecture's code: the input is a ``keras.Input`` (layers no
    longer take ``input_shape``) and pooling layers need their ``pool_size``.
    ``standardize=(mean, std)`` prepends ``(x - mean) / std`` as a parameter-free
    ``Rescaling`` layer: tanh units learn much faster on centred inputs.
    """
    input_shape = _shape("input_shape", input_shape, ((5, 1, "same"), (2, 2, "valid"), (5, 1, "valid"), (2, 2, "valid")))
    num_classes = validate.count("num_classes", num_classes)
    activation = _activation("activation", activation)
    first = [keras.Input(shape=input_shape)]
    if standardize is not None:
        mean, std = validate.reals("standardize", standardize, length=2)
        if std <= 0:
            raise ValueError(f"standardize must be (mean, std) with std > 0, got {standardize!r}")
        first.append(layers.Rescaling(1.0 / std, offset=-mean / std, name="standardize"))
    return keras.Sequential(
        [
            *first,
            layers.Conv2D(6, 5, padding="same", activation=activation, name="C1"),
            layers.AveragePooling2D(2, name="S2"),
            layers.Conv2D(16, 5, padding="valid", activation=activation, name="C3"),
            layers.AveragePooling2D(2, name="S4"),
            layers.Flatten(name="flatten"),
            layers.Dense(120, activation=activation, name="C5"),
            layers.Dense(84, activation=activation, name="F6"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ],
        name="lenet5",
    )


# ----------------------------------------------------------------------------- MNIST recipes


def keras_io_convnet(input_shape: Sequence[int] = (28, 28, 1), num_classes: int = 10):
    """The keras-io "Simple MNIST convnet" architecture: Conv32-Pool-Conv64-Pool-Dropout-Dense.

    Trained there with Adam, batch 128, 15 epochs; used here as the baseline to beat.
    """
    input_shape = _shape("input_shape", input_shape, _TWO_CONV_STAGES)
    num_classes = validate.count("num_classes", num_classes)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name="keras_io_convnet",
    )


def conv_bn_relu(
    x, filters: int, kernel_size: int = 3, *, strides: int = 1, padding: str = "same",
    name: str = "",
):
    """Conv (no bias: BatchNorm has its own shift) -> BatchNorm -> ReLU, a modern conv unit."""
    x = _tensor(x)
    filters = validate.count("filters", filters)
    kernel_size = validate.count("kernel_size", kernel_size)
    strides = validate.count("strides", strides)
    padding = validate.choice("padding", padding, ("valid", "same"))
    name = _label(name)
    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=False,
        name=f"{name}_conv" if name else None,
    )(x)
    # Keras's default momentum (0.99) needs thousands of steps before the running
    # statistics used at test time forget their initial values; short runs need 0.9.
    x = layers.BatchNormalization(momentum=0.9, name=f"{name}_bn" if name else None)(x)
    return layers.ReLU(name=f"{name}_relu" if name else None)(x)


def augmentation(translation: float = 0.08, rotation: float = 0.0, seed: int = 0):
    """Random shifts (and, if ``rotation`` > 0, rotations) of digits, active only in training.

    ``translation`` and ``rotation`` are fractions of the image size and of a full turn.
    """
    translation = validate.real("translation", translation, low=0.0, high=1.0)
    rotation = validate.real("rotation", rotation, low=0.0, high=1.0)
    seed = validate.integer("seed", seed, minimum=0, maximum=2**32 - 2)
    steps = [layers.RandomTranslation(translation, translation, fill_mode="constant", seed=seed)]
    if rotation > 0:
        steps.append(layers.RandomRotation(rotation, fill_mode="constant", seed=seed + 1))
    return keras.Sequential(steps, name="augmentation")


def mnist_best(
    input_shape: Sequence[int] = (28, 28, 1),
    num_classes: int = 10,
    *,
    augment: bool = False,
    widths: Sequence[int] = (16, 32, 32),
    dropout_rate: float = 0.3,
    seed: int = 0,
) -> keras.Model:
    """The course's MNIST recipe (notebook 07, exercise 4): small and batch-normalised.

    A strided stem (conv 5x5, stride 2, ``widths[0]`` maps, ReLU) halves the image at once,
    then each further width is a stage [conv 3x3 "same" (no bias) -> 2x2 max pool -> BN ->
    ReLU] -> flatten -> dropout -> softmax. Pooling before BatchNorm and ReLU gives them a
    quarter of the values to work on (ReLU commutes with the max; BN's statistics are taken
    on the pooled maps), which is most of a step's time on a CPU. BatchNorm lets a large
    learning rate work, so a few epochs are enough; with the default widths it has 17,386
    parameters. ``augment=True`` prepends random shifts (:func:`augmentation`).
    """
    widths = [validate.count(f"widths[{i}]", w)
              for i, w in enumerate(validate.items("widths", widths, "numbers of maps"))]
    if not widths:
        raise ValueError("widths must name at least one stage, got an empty list")
    stages = ((5, 2, "same"),) + ((3, 1, "same"), (2, 2, "valid")) * (len(widths) - 1)
    input_shape = _shape("input_shape", input_shape, stages)
    num_classes = validate.count("num_classes", num_classes)
    augment = validate.flag("augment", augment)
    dropout_rate = validate.real("dropout_rate", dropout_rate, low=0.0, high=1.0, high_open=True)
    seed = validate.integer("seed", seed, minimum=0, maximum=2**32 - 2)
    inputs = keras.Input(shape=input_shape)
    x = augmentation(seed=seed)(inputs) if augment else inputs
    x = layers.Conv2D(widths[0], 5, strides=2, padding="same", activation="relu", name="stem")(x)
    for stage, filters in enumerate(widths[1:], start=1):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"stage{stage}_conv")(x)
        x = layers.MaxPooling2D(2, name=f"pool{stage}")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"stage{stage}_bn")(x)
        x = layers.ReLU(name=f"stage{stage}_relu")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(dropout_rate, seed=seed)(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="mnist_best")


# ----------------------------------------------------------------------------- AlexNet


class LocalResponseNormalization(keras.layers.Layer):
    """AlexNet's LRN across channels: ``y_k = x_k / (k + alpha * sum_{|j-k|<=n/2} x_j^2)^beta``.

    Works on ``(batch, height, width, channels)``; no trainable weights. Defaults are the
    paper's (``n=5, k=2, alpha=1e-4, beta=0.75``).
    """

    def __init__(self, depth: int = 5, bias: float = 2.0, alpha: float = 1e-4,
                 beta: float = 0.75, **kwargs):
        depth = validate.count("depth", depth)
        if depth % 2 == 0:
            raise ValueError(f"depth must be a positive odd number of channels, got {depth}")
        bias = validate.positive("bias", bias)
        alpha = validate.positive("alpha", alpha, allow_zero=True)
        beta = validate.positive("beta", beta, allow_zero=True)
        super().__init__(**kwargs)
        self.depth, self.bias, self.alpha, self.beta = depth, bias, alpha, beta

    def call(self, x):
        half = self.depth // 2
        squares = ops.pad(ops.square(x), [[0, 0], [0, 0], [0, 0], [half, half]])
        channels = ops.shape(x)[-1]
        window = sum(squares[..., i : i + channels] for i in range(self.depth))
        return x / ops.power(self.bias + self.alpha * window, self.beta)

    def get_config(self):
        return {**super().get_config(), "depth": self.depth, "bias": self.bias,
                "alpha": self.alpha, "beta": self.beta}


def alexnet(
    input_shape: Sequence[int] = (227, 227, 3), num_classes: int = 1000, *, groups: int = 2
) -> keras.Sequential:
    """AlexNet (Krizhevsky, Sutskever and Hinton, 2012) with its LRN layers.

    ``groups=2`` reproduces the two-GPU split of the paper: conv2, conv4 and conv5 only see
    the half of the previous maps computed on their GPU (kernels 5x5x48, 3x3x192), which
    gives the paper's "60 million" parameters. A 227x227 input gives the paper's 55x55 maps.
    The model is meant to be inspected (layer sizes, parameter count), not trained on a CPU.
    """
    input_shape = _shape(
        "input_shape",
        input_shape,
        ((11, 4, "valid"), (3, 2, "valid"), (5, 1, "same"), (3, 2, "valid"), (3, 2, "valid")),
    )
    num_classes = validate.count("num_classes", num_classes)
    groups = validate.count("groups", groups)
    if 96 % groups or 256 % groups or 384 % groups:
        raise ValueError(f"groups must divide 96, 256 and 384 (1, 2, 4, ..., 32), got {groups}")
    conv = dict(activation="relu")
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(96, 11, strides=4, name="conv1", **conv),
            layers.MaxPooling2D(3, strides=2, name="pool1"),
            LocalResponseNormalization(name="lrn1"),
            layers.Conv2D(256, 5, padding="same", groups=groups, name="conv2", **conv),
            layers.MaxPooling2D(3, strides=2, name="pool2"),
            LocalResponseNormalization(name="lrn2"),
            layers.Conv2D(384, 3, padding="same", name="conv3", **conv),
            layers.Conv2D(384, 3, padding="same", groups=groups, name="conv4", **conv),
            layers.Conv2D(256, 3, padding="same", groups=groups, name="conv5", **conv),
            layers.MaxPooling2D(3, strides=2, name="pool5"),
            layers.Flatten(),
            layers.Dense(4096, name="fc6", **conv),
            layers.Dropout(0.5),
            layers.Dense(4096, name="fc7", **conv),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax", name="fc8"),
        ],
        name="alexnet",
    )


# ----------------------------------------------------------------------------- blocks


def vgg_block(x, filters: int, num_convs: int = 2, *, name: str = "vgg"):
    """VGG's unit: ``num_convs`` 3x3 "same" ReLU convolutions, then 2x2 max pooling.

    Two stacked 3x3 convolutions see a 5x5 neighbourhood with fewer weights than one 5x5.
    ``x: (batch, h, w, c) -> (batch, h // 2, w // 2, filters)``.
    """
    x = _tensor(x)
    filters = validate.count("filters", filters)
    num_convs = validate.count("num_convs", num_convs)
    name = _label(name)
    if any(size is not None and size < 2 for size in x.shape[1:3]):
        raise ValueError(f"x must be at least 2x2 for the 2x2 pooling, got shape {tuple(x.shape)}")
    for i in range(num_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv{i + 1}")(x)
    return layers.MaxPooling2D(2, name=f"{name}_pool")(x)


def inception_module(
    x,
    filters_1x1: int,
    filters_3x3_reduce: int,
    filters_3x3: int,
    filters_5x5_reduce: int,
    filters_5x5: int,
    filters_pool: int,
    *,
    name: str = "inception",
):
    """GoogLeNet's Inception module: four parallel branches concatenated along channels.

    1x1 | 1x1 -> 3x3 | 1x1 -> 5x5 | 3x3 max pool -> 1x1. The 1x1 "reduce" convolutions
    shrink the channels before the expensive 3x3 and 5x5 ones.
    ``x: (batch, h, w, c) -> (batch, h, w, filters_1x1 + filters_3x3 + filters_5x5 + filters_pool)``.
    """
    x = _tensor(x)
    filters_1x1 = validate.count("filters_1x1", filters_1x1)
    filters_3x3_reduce = validate.count("filters_3x3_reduce", filters_3x3_reduce)
    filters_3x3 = validate.count("filters_3x3", filters_3x3)
    filters_5x5_reduce = validate.count("filters_5x5_reduce", filters_5x5_reduce)
    filters_5x5 = validate.count("filters_5x5", filters_5x5)
    filters_pool = validate.count("filters_pool", filters_pool)
    name = _label(name)

    def conv(tensor, filters, size, label):
        return layers.Conv2D(filters, size, padding="same", activation="relu",
                             name=f"{name}_{label}")(tensor)

    branch1 = conv(x, filters_1x1, 1, "1x1")
    branch3 = conv(conv(x, filters_3x3_reduce, 1, "3x3_reduce"), filters_3x3, 3, "3x3")
    branch5 = conv(conv(x, filters_5x5_reduce, 1, "5x5_reduce"), filters_5x5, 5, "5x5")
    pooled = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
    branch_pool = conv(pooled, filters_pool, 1, "pool_proj")
    return layers.Concatenate(name=f"{name}_concat")([branch1, branch3, branch5, branch_pool])


def residual_block(x, filters: int, *, strides: int = 1, batch_norm: bool = True,
                   name: str = "residual"):
    """ResNet's basic block: ``relu(F(x) + shortcut(x))`` with F = two 3x3 convolutions.

    The shortcut is the identity when shapes agree, else a strided 1x1 convolution.
    ``x: (batch, h, w, c) -> (batch, ceil(h / strides), ceil(w / strides), filters)``.
    """
    x = _tensor(x)
    filters = validate.count("filters", filters)
    strides = validate.count("strides", strides)
    batch_norm = validate.flag("batch_norm", batch_norm)
    name = _label(name)

    def unit(tensor, stride, label):
        tensor = layers.Conv2D(filters, 3, strides=stride, padding="same",
                               use_bias=not batch_norm, name=f"{name}_{label}")(tensor)
        return layers.BatchNormalization(name=f"{name}_{label}_bn")(tensor) if batch_norm else tensor

    branch = layers.ReLU(name=f"{name}_relu1")(unit(x, strides, "conv1"))
    branch = unit(branch, 1, "conv2")
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = layers.Conv2D(filters, 1, strides=strides, name=f"{name}_projection")(x)
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([branch, shortcut]))


def deep_convnet(
    depth: int,
    *,
    residual: bool,
    input_shape: Sequence[int] = (8, 8, 1),
    num_classes: int = 10,
    width: int = 16,
) -> keras.Model:
    """A stem convolution, ``depth`` 3x3 convolutions of ``width`` maps, global pooling, softmax.

    ``residual=False``: a plain stack. ``residual=True``: the same layers grouped in pairs
    as residual blocks (identity shortcuts, no BatchNorm, so the shortcut alone makes the
    difference). ``depth`` must be even.
    """
    depth = validate.count("depth", depth)
    if depth < 2 or depth % 2:
        raise ValueError(f"depth must be an even number >= 2, got {depth}")
    residual = validate.flag("residual", residual)
    input_shape = _shape("input_shape", input_shape)
    num_classes = validate.count("num_classes", num_classes)
    width = validate.count("width", width)
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(width, 3, padding="same", activation="relu", name="stem")(inputs)
    for i in range(depth // 2):
        if residual:
            x = residual_block(x, width, batch_norm=False, name=f"block{i + 1}")
        else:
            for j in (1, 2):
                x = layers.Conv2D(width, 3, padding="same", activation="relu",
                                  name=f"block{i + 1}_conv{j}")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=f"{'residual' if residual else 'plain'}_{depth}")


# ----------------------------------------------------------------------------- transfer


def source_cnn(input_shape: Sequence[int] = (28, 28, 1), num_classes: int = 5) -> keras.Sequential:
    """The small CNN pretrained for notebook 08: a feature extractor and a dense head.

    ``features`` (two conv/pool stages, 5x5x32 maps) -> ``flatten`` -> ``dense`` (64) ->
    ``output``. Layer names are fixed so notebooks can cut the network at ``flatten``.
    """
    input_shape = _shape("input_shape", input_shape, _TWO_CONV_STAGES)
    num_classes = validate.count("num_classes", num_classes)
    return keras.Sequential(
        [
            keras.Input(shape=input_shape),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Flatten(name="flatten"),
            layers.Dense(64, activation="relu", name="dense"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ],
        name="source_cnn",
    )


def feature_extractor(model: keras.Model, last_layer: str = "flatten") -> keras.Model:
    """The part of ``model`` from its input up to and including ``last_layer``."""
    model = validate.model("model", model)
    last_layer = validate.layer_name("last_layer", last_layer, model)
    return keras.Model(model.inputs[0], model.get_layer(last_layer).output, name="features")


def transfer_classifier(
    features: keras.Model, num_classes: int, *, trainable: bool, hidden: int = 64
) -> keras.Model:
    """A new dense head on ``features``; ``trainable=False`` freezes the pretrained part."""
    features = validate.model("features", features)
    num_classes = validate.count("num_classes", num_classes)
    trainable = validate.flag("trainable", trainable)
    hidden = validate.count("hidden", hidden)
    features.trainable = trainable
    inputs = keras.Input(shape=features.input_shape[1:])
    x = features(inputs, training=False)
    x = layers.Dense(hidden, activation="relu")(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def fully_convolutional(model: keras.Model, *, last_conv: str = "pool2") -> keras.Model:
    """Rewrite a conv-then-dense classifier so it slides over images of any size.

    Each Dense layer after ``last_conv`` becomes a convolution with the same weights: the
    first one a ``(h, w)`` kernel covering the whole ``(h, w, c)`` feature map it used to
    read flattened, the later ones 1x1 kernels. On a 28x28 image the result equals the
    original model; on a larger image it returns one prediction per window position.
    """
    model = validate.model("model", model)
    last_conv = validate.layer_name("last_conv", last_conv, model)
    if len(model.get_layer(last_conv).output.shape) != 4:
        raise ValueError(f"last_conv must name a layer with (batch, h, w, c) maps, not {last_conv!r}")
    names = [layer.name for layer in model.layers]
    after = model.layers[names.index(last_conv) + 1 :]
    if not any(isinstance(layer, layers.Dense) for layer in after):
        raise ValueError(f"model has no Dense layer after {last_conv!r} to turn into a convolution")
    conv_part = feature_extractor(model, last_conv)
    height, width, channels = conv_part.output_shape[1:]
    inputs = keras.Input(shape=(None, None, model.input_shape[-1]))
    x = inputs
    for layer in conv_part.layers[1:]:  # the same layers, rebuilt for any image size
        copy = layer.__class__.from_config(layer.get_config())
        x = copy(x)
        copy.set_weights(layer.get_weights())
    dense_layers = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
    for i, dense in enumerate(dense_layers):
        kernel, bias = dense.get_weights()
        size = (height, width) if i == 0 else (1, 1)
        depth = channels if i == 0 else kernel.shape[0]
        conv = layers.Conv2D(kernel.shape[1], size, activation=dense.activation,
                             name=f"{dense.name}_as_conv")
        x = conv(x)
        conv.set_weights([kernel.reshape(size + (depth, kernel.shape[1])), bias])
    return keras.Model(inputs, x, name=f"{model.name}_fully_convolutional")


# ----------------------------------------------------------------------------- siamese


def siamese(embedding: keras.Model) -> keras.Model:
    """Two images in, the Euclidean distance between their embeddings out: ``(batch,)``.

    Both images go through the *same* ``embedding`` network (shared weights).
    """
    embedding = validate.model("embedding", embedding)
    shape = embedding.input_shape[1:]
    first, second = keras.Input(shape=shape), keras.Input(shape=shape)
    difference = layers.Subtract()([embedding(first), embedding(second)])
    distance = layers.Lambda(
        lambda d: ops.sqrt(ops.sum(ops.square(d), axis=-1) + 1e-9), name="distance"
    )(difference)
    return keras.Model([first, second], distance, name="siamese")


def contrastive_loss(margin: float = 1.0):
    """Loss ``same * d^2 + (1 - same) * max(margin - d, 0)^2`` (Hadsell, Chopra, LeCun 2006).

    Same-class pairs are pulled together; different ones pushed at least ``margin`` apart.
    """
    margin = validate.positive("margin", margin)

    def loss(same, distance):
        same = ops.cast(ops.reshape(same, ops.shape(distance)), distance.dtype)
        pull = same * ops.square(distance)
        push = (1.0 - same) * ops.square(ops.maximum(margin - distance, 0.0))
        return ops.mean(pull + push)

    return loss
