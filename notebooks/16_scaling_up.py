# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 16 · Scaling up: devices, mixed precision, XLA, input pipelines, distribution, checkpoints
#
# **Purpose:** learn what makes training fast and safe beyond a laptop — know what the
# hardware can do, compute in lower precision and compile where it pays, keep the device
# fed with data, split batches over several devices, and never lose a run to an
# interruption — and measure each idea honestly on the machine in front of you.
#
# **After this notebook you can**
# - explain with the lecture's ImageNet table and a measured matrix product why deep
#   learning took off with GPUs, and estimate a training time from FLOPs;
# - train under the `mixed_float16` and `mixed_bfloat16` policies, write a `train_step`
#   with loss scaling, and say on which hardware they pay off;
# - decide when XLA (`jit_compile`) helps, and how it meets deterministic ops;
# - build a `tf.data` pipeline with `cache`, `shuffle`, parallel `map`, `batch` and
#   `prefetch`, and read a timeline of where a training loop spends its time;
# - train data-parallel with `tf.distribute.MirroredStrategy`, scale the loss by the
#   replicas and the learning rate with the batch;
# - save `.keras` models, keep the best checkpoint, resume with the optimizer's state,
#   survive an interrupted `fit`, export a SavedModel, and read TensorBoard logs.
#
# **Expected run time:** about 35 s on a 2-core CPU with AVX-512; about 60 s on a 2-core laptop without AVX-512 (predicted by `make bench`).
# Cells that need a GPU run only where one exists and say so on a CPU.

# %% [markdown]
# ## 1. Set-up
#
# `logical_cpus=2` splits the CPU into two logical TensorFlow devices, so that section 6
# can train on "two devices" anywhere. TensorFlow fixes its devices when it runs its first
# operation, so this must happen in the set-up cell.

# %%
# NBVAL_IGNORE_OUTPUT
from course_lib import runtime

report = runtime.setup(seed=0, logical_cpus=2)

# %%
import keras
import matplotlib.pyplot as plt
import ml_dtypes
import numpy as np
import tensorflow as tf

from course_lib import data, outcomes, pipelines, runs, scaling, widgets
from course_lib.exercises import scaling_up as exercises

# %% [markdown]
# ## 2. Why GPUs
#
# The lecture names three reasons deep learning took off around 2012: data (ImageNet's
# 1.2 million labelled images, about 200 GB of pixels), new tricks (ReLU, dropout), and
# "deep with really good computers": GPUs, later TPUs. AlexNet's 60 million parameters
# trained for six days on two GPUs. Five years later, the lecture's table shows
# ResNet-50 trained on ImageNet in minutes:

# %%
print(f"{'team':<14}{'batch':>9}  {'processor':<18}{'time':>8}{'top-1':>8}{'device-hours':>14}")
for run in scaling.IMAGENET_RUNS:
    hours = "n/a" if run.device_hours is None else f"{run.device_hours:,.0f}"
    print(f"{run.team:<14}{run.batch_size:>9}  {run.processor:<18}"
          f"{scaling.format_duration(run.seconds):>8}{run.top1:>7.1f}%{hours:>14}")

# %% [markdown]
# The last column multiplies the number of devices by the hours. It stays near 200-250
# device-hours from 8 to 2,048 GPUs: the *work* did not shrink, it was split. What made
# the split possible is the batch: one step of synchronous data parallelism handles
# one batch spread over all devices, so 2,048 GPUs need batches of tens of thousands of
# images, and such batches need a learning rate scaled with care (section 6).

# %%
known = [run for run in scaling.IMAGENET_RUNS if run.devices]
fig, ax = plt.subplots(figsize=(6.4, 3.6))
devices = np.array([1, 4000])
for work in (100, 250):
    ax.plot(devices, work / devices, "--", color="grey", lw=0.8)
    ax.annotate(f"{work} device-hours", (1.5, work / 1.5), fontsize=8, color="grey", rotation=-23,
                rotation_mode="anchor", va="bottom")
ax.scatter([run.devices for run in known], [run.seconds / 3600 for run in known], color="crimson")
for run in known:
    ax.annotate(run.team, (run.devices, run.seconds / 3600), fontsize=8, xytext=(5, 3), textcoords="offset points")
ax.set(xscale="log", yscale="log", xlabel="GPUs", ylabel="hours to train ResNet-50 on ImageNet")
print(f"speed-up from the first to the last row: {known[0].seconds / known[-1].seconds:.0f}x with {known[-1].devices // known[0].devices}x the GPUs")

# %% [markdown]
# ### What this notebook runs on
#
# The set-up report gives the device; TensorFlow lists its logical devices (two CPUs
# here, plus any GPU):

# %%
# NBVAL_IGNORE_OUTPUT
print("device:", report.device)
print("logical devices:", [device.name for device in tf.config.list_logical_devices()])

# %% [markdown]
# Deep learning is mostly matrix products. Multiplying two $n \times n$ matrices takes
# $n^3$ multiplications and $n^3$ additions, $2n^3$ floating-point operations (FLOPs).
# A processor's *peak* is cores × clock × FLOPs per cycle; a core with two fused
# multiply-add units on 8 float32 lanes (AVX2) does $2 \times 2 \times 8 = 32$ per cycle.

# %%
n = 1024
print(f"one {n}x{n} product: 2 n^3 = {2 * n**3:,} FLOPs")
print("peak of 2 AVX2 cores at 3 GHz:", scaling.peak_gflops(cores=2, ghz=3.0, flops_per_cycle=32), "GFLOP/s")

# %%
# NBVAL_IGNORE_OUTPUT
cpu = scaling.cpu_facts()
measured = scaling.matmul_gflops(n)
print(f"measured on this CPU: {measured:.0f} GFLOP/s (float32)")
if cpu.ghz:
    peak = scaling.peak_gflops(cpu.cores, cpu.ghz, cpu.flops_per_cycle)
    print(f"its peak: {cpu.cores} cores x {cpu.ghz:.2f} GHz x {cpu.flops_per_cycle} FLOP/cycle "
          f"({cpu.vector_isa}) = {peak:.0f} GFLOP/s; the product reached {measured / peak:.0%} of it")

# %% [markdown]
# The same product on a GPU, where there is one. A data-centre GPU has thousands of
# lanes; with float16 it also uses its *tensor cores*, units that multiply small matrix
# tiles in one instruction.

# %%
# NBVAL_IGNORE_OUTPUT
if report.gpus:
    for dtype in ("float32", "float16"):
        gflops = scaling.matmul_gflops(4096, dtype=dtype, device="/GPU:0")
        print(f"{report.gpus[0]}, {dtype}: {gflops:,.0f} GFLOP/s ({gflops / measured:.0f}x this CPU)")
else:
    print("No GPU here, so this cell measures nothing. A current data-centre GPU reaches tens of "
          "TFLOP/s in float32 and several hundred with float16 on its tensor cores.")

# %% [markdown]
# ## 3. Mixed precision
#
# Fewer bits per number means less memory traffic and, on hardware built for it, more
# operations per cycle. Three formats matter:
#
# | format | bits (sign, exponent, mantissa) | range | precision |
# |---|---|---|---|
# | float32 | 1, 8, 23 | $10^{\pm 38}$ | about 7 digits |
# | float16 | 1, 5, 10 | $6 \cdot 10^{-5}$ to 65,504 | about 3 digits |
# | bfloat16 | 1, 8, 7 | float32's range | about 2 digits |

# %%
formats = {"float32": np.finfo(np.float32), "float16": np.finfo(np.float16),
           "bfloat16": ml_dtypes.finfo(ml_dtypes.bfloat16)}
for name, info in formats.items():
    print(f"{name:<9} largest {float(info.max):.4g}   smallest normal {float(info.tiny):.4g}   "
          f"relative step {float(info.eps):.3g}")

# %% [markdown]
# float16's narrow range is its trap: gradients deep in a network are often smaller
# than $10^{-7}$, and in float16 they round to zero. *Loss scaling* multiplies the loss by
# a large $S$ (say $2^{15}$) before differentiating; by the chain rule every gradient is
# multiplied by $S$ too and lands in float16's range; the optimizer divides by $S$ again
# in float32. bfloat16 has float32's range and needs no scaling.

# %%
gradient, scale = 1e-8, 2.0**15
print("1e-8 in float16:", float(np.float16(gradient)), "| in bfloat16:", f"{float(ml_dtypes.bfloat16(gradient)):.3g}")
print("scaled by 2**15 in float16, unscaled in float32:", f"{float(np.float16(gradient * scale)) / scale:.3g}")
with np.errstate(over="ignore"):   # NumPy would warn about the overflow
    print("70,000 in float16:", float(np.float16(70_000.0)))

# %% [markdown]
# A Keras *dtype policy* says in which dtype a layer computes and in which it stores its
# variables. The `mixed_` policies compute in 16 bits but keep the variables in float32,
# so that small updates $w \leftarrow w - \eta g$ are not rounded away.

# %%
for name in ("float32", "mixed_float16", "mixed_bfloat16"):
    policy = keras.DTypePolicy(name)
    print(f"{name:<15} computes in {policy.compute_dtype:<9} stores variables in {policy.variable_dtype}")

# %% [markdown]
# ### Exercise 1 · Predict: the dtypes in a mixed layer
#
# A `keras.layers.Dense(3, dtype="mixed_float16")` is called on a float32 batch under a
# `tf.GradientTape`, and the loss is the float32 sum of its outputs. Before running the
# next cells, predict three dtypes (as strings such as `"float32"`): the layer's kernel,
# the layer's output, and the gradient of the loss with respect to the kernel.

# %%
### BEGIN SOLUTION
kernel_dtype = "float32"
output_dtype = "float16"
gradient_dtype = "float32"
### END SOLUTION

# %%
exercises.check_policy_dtypes(kernel_dtype, output_dtype, gradient_dtype)

# %%
layer = keras.layers.Dense(3, dtype="mixed_float16")
with tf.GradientTape() as tape:
    outputs = layer(tf.ones((2, 4)))
    loss = tf.reduce_sum(tf.cast(outputs, "float32"))
print("kernel:", layer.kernel.dtype, "| output:", outputs.dtype.name,
      "| gradient:", tape.gradient(loss, layer.kernel).dtype.name)

# %% [markdown]
# ### Loss scaling in a custom `train_step`
#
# Under `mixed_float16`, `compile` wraps the optimizer in a
# `keras.optimizers.LossScaleOptimizer`. Keras's own `train_step` uses it for you; a
# custom one must do it itself, in three places: scale the loss inside the tape, take the
# gradients of the *scaled* loss, and let the optimizer unscale them. Under the other
# policies `scale_loss` returns the loss unchanged, so the same step serves all three.

# %%
class LossScaledModel(keras.Sequential):
    """A Sequential model whose training step is written out, loss scaling included."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)   # float32
            scaled_loss = self.optimizer.scale_loss(loss)       # loss x S
        scaled_gradients = tape.gradient(scaled_loss, self.trainable_variables)
        self.optimizer.apply(scaled_gradients, self.trainable_variables)  # / S, or skip if inf
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {metric.name: metric.result() for metric in self.metrics}


# %% [markdown]
# A small CNN under a chosen policy. The last layer outputs float32 probabilities
# whatever the policy: a softmax and a log in float16 lose too much.

# %%
def small_cnn(policy="float32"):
    keras.mixed_precision.set_global_policy(policy)   # layers created now take this policy
    model = LossScaledModel([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(),
        keras.layers.Flatten(), keras.layers.Dense(10),
        keras.layers.Activation("softmax", dtype="float32"),
    ])
    keras.mixed_precision.set_global_policy("float32")
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


print("float32:", type(small_cnn("float32").optimizer).__name__,
      "| mixed_float16:", type(small_cnn("mixed_float16").optimizer).__name__)

# %% [markdown]
# Now the same CNN under each policy, timed per epoch on the embedded MNIST digits.
# The first epoch also traces the step into a graph, so the later ones tell the speed.

# %%
(x_train, y_train), (x_test, y_test) = data.load_mnist()
num_digits = report.profile.pick(quick=2000, full=4000)
mixed_epochs = report.profile.pick(quick=2, full=5)
bfloat16_problem = scaling.bfloat16_problem()
timers, cnns = {}, {}
for policy in ("float32", "mixed_float16", "mixed_bfloat16"):
    if policy == "mixed_bfloat16" and bfloat16_problem:
        continue
    keras.utils.set_random_seed(0)
    cnns[policy], timers[policy] = small_cnn(policy), scaling.EpochTimer()
    cnns[policy].fit(x_train[:num_digits], y_train[:num_digits], batch_size=64,
                     epochs=mixed_epochs, callbacks=[timers[policy]], verbose=0)

# %%
# NBVAL_IGNORE_OUTPUT
for policy, timer in timers.items():
    print(f"{policy:<15} first epoch {timer.first:.2f} s, then {timer.steady:.2f} s per epoch "
          f"({timer.steady / timers['float32'].steady:.1f}x float32)")
if bfloat16_problem:
    print(f"mixed_bfloat16 skipped: {bfloat16_problem}")

# %% [markdown]
# Whatever the speed, the lower precision costs no accuracy here, and the loss scale
# adapted itself during training:

# %%
accuracies = {policy: cnns[policy].evaluate(x_test, y_test, verbose=0)[1] for policy in ("float32", "mixed_float16")}
for policy, accuracy in accuracies.items():
    outcomes.expect(f"{policy}: test accuracy", accuracy, at_least=0.85)
outcomes.expect("accuracy gap", abs(accuracies["float32"] - accuracies["mixed_float16"]), at_most=0.03)
print(f"mixed_float16's loss scale after {int(cnns['mixed_float16'].optimizer.iterations)} steps "
      f"≈ {float(cnns['mixed_float16'].optimizer.dynamic_scale):.0f} (started at 32768)")

# %% [markdown]
# **The honest conclusion for a CPU.** On the 2-core CPU this course was written on,
# a float16 epoch took two to five times as long as a float32 one: CPUs have no float16
# arithmetic, so every operation converts back and forth. bfloat16 depends on the CPU:
# recent ones with AVX512_BF16 or AMX instructions (that one has AVX512_BF16) ran it
# about as fast as float32; older ones emulate it, slowly. On a GPU with tensor
# cores (float16 since the V100, bfloat16 since the A100) mixed precision typically
# trains 2-3 times faster and halves the memory of the activations, which allows larger
# batches. So: `runtime.setup(mixed_precision=True)` turns it on only where a GPU exists.

# %% [markdown]
# ### Exercise 2 · Implement: dynamic loss scaling
#
# A fixed $S$ is either too small (gradients still underflow) or too large (they
# overflow to `inf`). `LossScaleOptimizer` adapts $S$ after every step:
#
# - if any gradient is `inf` or `NaN`: skip the update, halve $S$, reset the count of
#   good steps to 0;
# - otherwise: apply the update and count one more good step; when the count reaches
#   `growth_steps`, double $S$ and reset the count to 0.
#
# Write `update_loss_scale(scale, good_steps, finite, growth_steps)` returning
# `(new_scale, new_good_steps, apply_update)`.

# %%
def update_loss_scale(scale, good_steps, finite, growth_steps=2000):
    ### BEGIN SOLUTION
    if not finite:
        return scale / 2, 0, False
    if good_steps + 1 >= growth_steps:
        return scale * 2, 0, True
    return scale, good_steps + 1, True
    ### END SOLUTION


# %%
exercises.check_loss_scale_update(update_loss_scale)

# %% [markdown]
# ## 4. XLA: compiling the training step
#
# A `tf.function` runs its graph op by op: each op is a separate kernel launch that reads
# its inputs from memory and writes its output back. XLA (`jit_compile=True`) compiles
# the whole graph for the shapes it sees, fusing element-wise ops into few kernels. That
# pays when a step is made of many *small* ops, where launching costs more than
# computing; it costs a compilation (seconds) for every new input shape.

# %%
def compiled_step(model, optimizer, jit_compile, from_logits=True):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)

    @tf.function(jit_compile=jit_compile)
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)
        return loss
    return train_step


# %% [markdown]
# First a network of the size used for 2-D toy problems (such as notebook 14's GAN): six
# dense layers of 32 units on batches of 64 points. Each op takes microseconds, and a
# training step runs about a hundred of them (forward, backward, Adam's updates).

# %%
points, point_labels = data.make_2d("moons", 64)
xla_steps = report.profile.pick(quick=300, full=1000)
mlp_runs = {}
for jit in (False, True):
    keras.utils.set_random_seed(0)
    mlp = keras.Sequential([keras.Input((2,)), *[keras.layers.Dense(32, activation="relu") for _ in range(5)],
                            keras.layers.Dense(2)])
    step = compiled_step(mlp, keras.optimizers.Adam(1e-2), jit)
    mlp_runs[jit] = scaling.time_calls(step, points, point_labels, calls=xla_steps)

# %%
# NBVAL_IGNORE_OUTPUT
for jit, times in mlp_runs.items():
    print(f"jit_compile={jit!s:<5} first call {times.first_seconds:.2f} s, "
          f"then {times.seconds_per_call * 1e6:.0f} µs per step")
print(f"XLA speed-up on the small network ≈ {mlp_runs[False].seconds_per_call / mlp_runs[True].seconds_per_call:.1f}x")

# %% [markdown]
# The compiled step computes the same function; only the order of a few roundings may
# differ:

# %%
print("same first loss with and without XLA:",
      np.isclose(mlp_runs[False].first_result, mlp_runs[True].first_result, rtol=1e-3))

# %% [markdown]
# Now a CNN: its convolutions already run in large optimised kernels, so there is little
# to fuse. (Strided convolutions replace max pooling here, for a reason given below.)

# %%
# NBVAL_IGNORE_OUTPUT
images, image_labels = tf.constant(x_train[:128]), tf.constant(y_train[:128])
for jit in (False, True):
    keras.utils.set_random_seed(0)
    cnn = keras.Sequential([keras.Input((28, 28, 1)),
                            keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                            keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                            keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])
    times = scaling.time_calls(compiled_step(cnn, keras.optimizers.Adam(1e-3), jit),
                               images, image_labels, calls=report.profile.pick(quick=10, full=100))
    print(f"CNN, jit_compile={jit!s:<5} first call {times.first_seconds:.2f} s, "
          f"then {times.seconds_per_call * 1e3:.1f} ms per step")

# %% [markdown]
# On the 2-core CPU this course was written on, shared with other jobs, XLA made the
# small network's step up to about twice as fast, and left the CNN's step about where it
# was (sometimes slower), after a compilation of one to three seconds that a short run
# may never win back. Timings on a busy machine vary from run to run: the cell times the
# fastest of several blocks of steps, but rerun it before trusting a ratio.
#
# **XLA and deterministic ops.** `runtime.setup()` turns on TensorFlow's op determinism
# on a CPU (every run gives the same bits). Some ops have no deterministic XLA version,
# so Keras refuses XLA under determinism: `compile(jit_compile=True)` warns and falls
# back to `False`.

# %%
# NBVAL_IGNORE_OUTPUT
import warnings

model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.compile(optimizer="adam", loss="mse", jit_compile=True)
print("deterministic ops:", report.deterministic_ops, "| model.jit_compile:", model.jit_compile)
print("Keras said:", caught[0].message if caught else "nothing")
assert model.jit_compile == (not report.deterministic_ops)

# %% [markdown]
# A hand-written `tf.function(jit_compile=True)` is still compiled, as above, as long as
# all its ops have deterministic XLA kernels. Max pooling's gradient does not:

# %%
# NBVAL_IGNORE_OUTPUT
pooled = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3),
                           keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(10)])
try:
    compiled_step(pooled, keras.optimizers.Adam(), jit_compile=True)(images, image_labels)
    print("compiled: op determinism is off on this device")
except tf.errors.UnimplementedError as error:
    print("XLA refused:", error.message.splitlines()[0])

# %% [markdown]
# **How to choose.**
#
# | you want | do |
# |---|---|
# | the same result on every run (debugging, tests, this course on a CPU) | keep determinism; compile by hand with `tf.function(jit_compile=True)` the steps whose ops allow it, and measure |
# | speed on a GPU | `runtime.setup(deterministic_ops=False)` (the default where a GPU exists), then `compile(jit_compile=True)`, or leave Keras's default `"auto"` |
# | XLA with inputs of varying shape | fix the shapes (pad sequences, `batch(..., drop_remainder=True)`): each new shape compiles again |

# %% [markdown]
# ## 5. Input pipelines with `tf.data`
#
# A fast step is wasted if it waits for its data. On ImageNet every image is a JPEG file
# to read, decode and augment, about as much work as the step itself. `tf.data` runs that
# work in C++ threads, in parallel and ahead of the step. We imitate it with our digits
# stored as PNG files (in memory):

# %%
png_files = [tf.io.encode_png(tf.cast(image * 255, tf.uint8)).numpy() for image in x_train]
print(len(png_files), "PNG files, each a few hundred bytes")

# %% [markdown]
# The pipeline's stages, in the order that matters:
#
# 1. `map(decode)`: file → image, the same every epoch, so it is followed by
# 2. `cache()`: decoded images are kept in memory after the first epoch;
# 3. `shuffle(buffer)`: a new order every epoch (after the cache, or the order would be
#    frozen);
# 4. `map(augment)`: random shifts and JPEG-like noise, a new draw every epoch; written
#    with *stateless* random ops whose seed is the example's position, so the pipeline is
#    reproducible and, under op determinism, still allowed to run in parallel (stateful
#    random ops would force it to run serially);
# 5. `batch`, then `prefetch`: prepare the next batches while the current step runs.
#
# `num_parallel_calls=tf.data.AUTOTUNE` lets `tf.data` choose how many threads `map` uses.

# %%
def decode(png, label):
    return tf.image.convert_image_dtype(tf.io.decode_png(png, channels=1), tf.float32), label


def augment(image, label, seed):
    image = tf.image.stateless_random_jpeg_quality(image, 50, 95, seed=seed)
    image = tf.image.resize_with_crop_or_pad(image, 32, 32)                  # pad by 2 pixels
    return tf.image.stateless_random_crop(image, (28, 28, 1), seed=seed), label  # shift by up to 2


# %%
def digit_pipeline(files, labels, *, batch_size=64, parallel=True, prefetch=True):
    threads = tf.data.AUTOTUNE if parallel else None
    dataset = tf.data.Dataset.from_tensor_slices((files, labels))
    dataset = dataset.map(decode, num_parallel_calls=threads).cache().shuffle(len(labels), seed=0)
    dataset = tf.data.Dataset.zip(dataset, tf.data.Dataset.counter()).map(
        lambda example, position: augment(*example, seed=tf.stack([position, 0])),
        num_parallel_calls=threads)
    dataset = dataset.batch(batch_size)
    if prefetch:
        return dataset.prefetch(tf.data.AUTOTUNE)
    options = tf.data.Options()
    options.experimental_optimization.inject_prefetch = False  # tf.data would add one itself
    return dataset.with_options(options)


# %%
pipeline = digit_pipeline(png_files, y_train)
print(pipeline.element_spec)
print("batches per epoch:", int(pipeline.cardinality()), "= ceil(4000 / 64)")

# %% [markdown]
# What `cache` saves: a function that counts its calls, run for two epochs.

# %%
decode_calls = []


def counted_decode(i):
    decode_calls.append(int(i))
    return i


counted = tf.data.Dataset.range(100).map(lambda i: tf.py_function(counted_decode, [i], tf.int64)).cache()
for epoch in (1, 2):
    list(counted)
    print(f"after epoch {epoch}: decode ran {len(decode_calls)} times")

# %% [markdown]
# Shuffling gives each epoch its own order of the same digits, and the stateless
# augmentation gives the same images on every run of the notebook. (The first 256 digits
# suffice to see it.)

# %%
small = digit_pipeline(png_files[:256], y_train[:256])
epoch_1, epoch_2 = ([int(label) for label in next(iter(small))[1]] for _ in range(2))
print("first labels, epoch 1:", epoch_1[:12])
print("first labels, epoch 2:", epoch_2[:12])
print("same digits in every epoch:", sorted(np.concatenate([batch[1] for batch in small])) == sorted(y_train[:256]))
first_run, second_run = (next(iter(digit_pipeline(png_files[:256], y_train[:256])))[0] for _ in range(2))
print("augmentation reproducible:", np.array_equal(first_run, second_run))

# %% [markdown]
# ### Where the time goes
#
# Time a training loop step by step: how long it waits for each batch (red) and how long
# the step computes (blue), for the serial pipeline (one thread, no prefetch) and for the
# parallel one with prefetching. Both first run one epoch, so that they read decoded
# digits from their cache.

# %%
timeline_steps = report.profile.pick(quick=30, full=63)
subset = slice(0, 64 * timeline_steps)
feeds = {"serial: one thread, no prefetch": digit_pipeline(png_files[subset], y_train[subset], parallel=False, prefetch=False),
         "parallel map + prefetch": digit_pipeline(png_files[subset], y_train[subset])}
for feed in feeds.values():
    for _ in feed:
        pass
keras.utils.set_random_seed(0)
timeline_cnn = small_cnn()
timeline_step = compiled_step(timeline_cnn, keras.optimizers.Adam(1e-3), jit_compile=False, from_logits=False)
timeline_step(*next(iter(feeds["parallel map + prefetch"])))  # trace once, outside the timings
timelines = {name: pipelines.measure_timeline(feed, timeline_step) for name, feed in feeds.items()}
axes = pipelines.plot_timeline(timelines)
print(f"{timeline_steps} steps of each loop")

# %%
# NBVAL_IGNORE_OUTPUT
for name, timeline in timelines.items():
    print(f"{name:<32} {timeline.total:.2f} s, waiting for input {timeline.waiting_share:.0%} of it")

# %% [markdown]
# How much prefetching and parallel calls gain depends on the costs of a batch's input
# and of its step, and on the cores left free for the input while the step runs (on a
# 2-core laptop, few). The explorer below starts from this machine's measured costs
# and shows the ideal pipeline, which assumes that input and compute do not compete for
# cores: with prefetching the loop takes one step every $\max(\text{compute},
# \text{input}/\text{workers})$ instead of $\text{compute} + \text{input}/\text{workers}$.

# %%
# NBVAL_IGNORE_OUTPUT
serial = timelines["serial: one thread, no prefetch"]
widgets.pipeline_explorer(input_ms=min(serial.waiting / len(serial.done) * 1e3, 50),
                          compute_ms=max(serial.computing / len(serial.done) * 1e3, 0.5))

# %% [markdown]
# Finally the same comparison through `fit`, against feeding NumPy arrays (no
# decoding and no augmentation, so this is the floor). A `tf.data.Dataset` shuffles
# itself, so `fit` gets `shuffle=False`. The first `fit` traces the step; the others
# reuse it.

# %%
# NBVAL_IGNORE_OUTPUT
timeline_cnn.fit(x_train[subset], y_train[subset], batch_size=64, epochs=1, verbose=0)  # tracing
for name, feed in {"NumPy arrays": dict(x=x_train[subset], y=y_train[subset], batch_size=64), **{
        f"tf.data, {name}": dict(x=feed, shuffle=False) for name, feed in feeds.items()}}.items():
    timer = scaling.EpochTimer()
    timeline_cnn.fit(**feed, epochs=1, callbacks=[timer], verbose=0)
    print(f"{name:<42} ≈ {timer.first:.2f} s per epoch of {timeline_steps} batches")

# %% [markdown]
# ## 6. Data parallelism on several devices
#
# *Synchronous data parallelism* copies the model onto every device (a *replica*). Each
# step splits the global batch into one slice per replica; every replica computes its
# gradient on its slice; an *all-reduce* sums the gradients, and every replica applies
# the same update. `tf.distribute.MirroredStrategy` does exactly this, over several GPUs
# of one machine or, here, over our two logical CPUs. The code is the same. (Two logical
# CPUs share the same cores: they show the mechanics, not a speed-up.)

# %%
cpu_names = [device.name for device in tf.config.list_logical_devices("CPU")]
strategy = tf.distribute.MirroredStrategy(cpu_names)
print(cpu_names, "->", strategy.num_replicas_in_sync, "replicas in sync")

# %%
# NBVAL_IGNORE_OUTPUT
if report.gpus:
    gpu_strategy = tf.distribute.MirroredStrategy()   # no list: every GPU of the machine
    print(f"{len(report.gpus)} GPU(s): MirroredStrategy() gives {gpu_strategy.num_replicas_in_sync} replica(s)")
else:
    print("No GPU here: on a machine with several GPUs, MirroredStrategy() with no argument "
          "uses all of them and sums gradients with NVIDIA's NCCL all-reduce.")

# %% [markdown]
# The *global* batch is what one step consumes; each replica gets global / replicas:

# %%
x_flat, x_test_flat = x_train.reshape(len(x_train), -1), x_test.reshape(len(x_test), -1)
global_batch = 64
dataset = tf.data.Dataset.from_tensor_slices((x_flat, y_train)).batch(global_batch)
images_per_replica, labels_per_replica = next(iter(strategy.experimental_distribute_dataset(dataset)))
print([tuple(part.shape) for part in strategy.experimental_local_results(images_per_replica)])

# %% [markdown]
# With `fit`, distribution is one `with` block: variables created in
# `strategy.scope()` are *mirrored* on every replica, and `fit` splits each batch.

# %%
def mnist_mlp():
    return keras.Sequential([keras.Input((784,)), keras.layers.Dense(64, activation="relu"),
                             keras.layers.Dense(10)])


keras.utils.set_random_seed(0)
with strategy.scope():
    mirrored_mlp = mnist_mlp()
    mirrored_mlp.compile(optimizer=keras.optimizers.SGD(0.02, momentum=0.9), metrics=["accuracy"],
                         loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
mirrored_mlp.fit(x_flat, y_train, batch_size=global_batch, epochs=report.profile.pick(quick=2, full=5), verbose=0)
print("kernel stored as", type(mirrored_mlp.layers[0].kernel.value).__name__)
outcomes.expect("two replicas: test accuracy", mirrored_mlp.evaluate(x_test_flat, y_test, verbose=0)[1],
                at_least=0.85)

# %% [markdown]
# ### Exercise 3 · Diagnose: a custom step on two replicas
#
# A custom training loop runs its step on every replica with `strategy.run`, then the
# all-reduce *sums* the replicas' gradients. Here is a step's loss function that looks
# right; compare the summed gradient of two replicas with the gradient of one device
# that sees the whole global batch:

# %%
def broken_replica_loss(per_example_loss, global_batch_size):
    return tf.reduce_mean(per_example_loss)


def summed_replica_gradients(loss_of_replica):
    per_example = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)

    def replica_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_of_replica(per_example(y, mirrored_mlp(x)), global_batch)
        return tape.gradient(loss, mirrored_mlp.trainable_variables)
    gradients = strategy.run(replica_step, args=(images_per_replica, labels_per_replica))
    return [strategy.reduce("SUM", gradient, axis=None) for gradient in gradients]


with tf.device("/CPU:0"):   # like the replicas (a GPU would multiply in TF32, less precise)
    one_device = mnist_mlp()
    one_device.set_weights(mirrored_mlp.get_weights())
    with tf.GradientTape() as tape:
        mean_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
            y_train[:global_batch], one_device(x_flat[:global_batch]))
    reference = tape.gradient(mean_loss, one_device.trainable_variables)
ratio = tf.linalg.global_norm(summed_replica_gradients(broken_replica_loss)) / tf.linalg.global_norm(reference)
print(f"summed gradient / one-device gradient: {float(ratio):.2f}")

# %% [markdown]
# Find the bug and write a correct `replica_loss(per_example_loss, global_batch_size)`
# that returns one replica's share of the loss. The check also trains one step on the
# two replicas and compares the gradient with the one-device gradient.

# %%
def replica_loss(per_example_loss, global_batch_size):
    ### BEGIN SOLUTION
    return tf.reduce_sum(per_example_loss) / global_batch_size
    ### END SOLUTION


# %%
exercises.check_replica_loss(replica_loss, strategy)

# %% [markdown]
# TensorFlow's name for that function is `tf.nn.compute_average_loss(per_example_loss,
# global_batch_size=...)` (and `tf.nn.scale_regularization_loss` for penalties). Keras's
# own `train_step` divides by the number of replicas for you, so `fit` needs nothing;
# inside a custom `train_step` under a strategy, `self.compute_loss` does it too.
#
# ### Scaling the learning rate with the batch
#
# $k$ replicas with the same per-replica batch make a $k$ times larger global batch,
# hence $k$ times fewer updates per epoch. The *linear scaling rule* (Goyal et al., row
# two of the table) keeps the distance travelled per epoch: multiply the learning rate
# by $k$ too, and warm it up over the first epochs so the first large steps do not
# overshoot. Our two replicas above used a global batch of 64 with a learning rate of 0.02.

# %% [markdown]
# ### Exercise 4 · Model: a learning rate for batches of 512
#
# Sixteen replicas with 32 digits each make global batches of 512. Choose `learning_rate`
# and `num_epochs` (at most 5) so that the same MLP with the same SGD (momentum 0.9)
# reaches a test accuracy of at least 0.86 with batches of 512. The check trains it on
# one device with the global batch, which is exactly what synchronised replicas compute.

# %%
### BEGIN SOLUTION
learning_rate = 0.16
num_epochs = 5
### END SOLUTION

# %%
exercises.check_large_batch(learning_rate, num_epochs, model_fn=mnist_mlp)

# %% [markdown]
# ### A paper estimate of time to accuracy
#
# Training FLOPs per example are about three forward passes (forward, and two products
# per layer backward). From the CNN's count and its measured time per digit, we get the
# rate this machine reaches in training; ResNet-50 needs about 4.1 billion multiply-adds
# per 224×224 image forward, and reaches the table's accuracy in about 90 epochs of
# 1.28 million images.

# %%
cnn_flops = scaling.training_flops(small_cnn())
resnet50_flops = 3 * 2 * 4.1e9
imagenet_flops = resnet50_flops * 1_281_167 * 90
print(f"our CNN: {cnn_flops:,} FLOPs to train on one digit")
print(f"ResNet-50 on ImageNet, 90 epochs: {imagenet_flops:.2e} FLOPs")

# %%
# NBVAL_IGNORE_OUTPUT
achieved = cnn_flops * num_digits / timers["float32"].steady
years = scaling.time_to_train(resnet50_flops, 1_281_167, 90, achieved) / (365 * 24 * 3600)
print(f"this CPU trained our CNN at ≈ {achieved / 1e9:.1f} GFLOP/s; at that rate ResNet-50 would take ≈ {years:.0f} years")

# %% [markdown]
# On a node of 8 GPUs, assume each sustains 100 TFLOP/s in mixed precision (about a
# third of an A100's bfloat16 peak) and the all-reduce costs 10 %:

# %%
node_seconds = scaling.time_to_train(resnet50_flops, 1_281_167, 90, 8 * 100e12 * 0.9)
print(f"8 GPUs: about {node_seconds / 3600:.1f} hours (the table: 29 hours on 8 P100s in 2016)")

# %% [markdown]
# **Where other engines take over.** `MirroredStrategy` stops at one machine. Across
# machines, `tf.distribute.MultiWorkerMirroredStrategy` runs the same all-reduce over
# the network, `TPUStrategy` drives TPU pods (row three), and models too large for one
# device need their *layers* split as well as the batch. Keras 3 expresses both with
# `keras.distribution` (`DataParallel`, `ModelParallel` over a `DeviceMesh`), which
# today runs on the JAX backend; the model code does not change.

# %% [markdown]
# ## 7. Saving, checkpointing and resuming
#
# Long runs get interrupted: a laptop sleeps, a cloud machine is preempted. Files go to
# `runs/` at the top of the project (git ignores it); `runs.run_dir` empties a run's
# folder so every run of this notebook starts from the same state.

# %%
run_folder = runs.run_dir("16_scaling_up")
print("files of this notebook go to", run_folder.relative_to(runs.runs_dir().parent))


def compiled_mlp(seed=0):
    keras.utils.set_random_seed(seed)
    model = mnist_mlp()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


# %% [markdown]
# A `.keras` file holds the architecture, the weights, the `compile` settings and the
# optimizer's state (Adam's moments, its step count):

# %%
saved = compiled_mlp()
saved.fit(x_flat, y_train, batch_size=64, epochs=1, verbose=0)
saved.save(run_folder / "mlp.keras")
loaded = keras.models.load_model(run_folder / "mlp.keras")
print("same predictions:", np.allclose(saved.predict(x_test_flat, verbose=0), loaded.predict(x_test_flat, verbose=0),
                                      rtol=1e-3, atol=1e-3))
print("optimizer steps restored:", int(loaded.optimizer.iterations), "of", int(saved.optimizer.iterations))

# %% [markdown]
# `ModelCheckpoint(save_best_only=True)` writes the model after an epoch only when the
# monitored quantity improved, so the file always holds the best epoch so far:

# %%
best_path = run_folder / "best.keras"
checkpoint = keras.callbacks.ModelCheckpoint(best_path, monitor="val_loss", save_best_only=True)
history = compiled_mlp().fit(x_flat[:2000], y_train[:2000], validation_data=(x_test_flat, y_test),
                             batch_size=64, epochs=3, callbacks=[checkpoint], verbose=0)
best_val_loss = min(history.history["val_loss"])
reloaded_val_loss = keras.models.load_model(best_path).evaluate(x_test_flat, y_test, verbose=0)[0]
print("the file holds the epoch with the lowest validation loss:", np.isclose(reloaded_val_loss, best_val_loss, rtol=1e-3))

# %% [markdown]
# **Resuming.** Train 10 steps without a break; then train 5, save, load, and train the
# other 5; and, the common mistake, restore only the weights into a fresh model, whose
# Adam starts again from zero moments and step 1.

# %%
batches = [(x_flat[i:i + 64], y_train[i:i + 64]) for i in range(0, 640, 64)]
uninterrupted = compiled_mlp(seed=1)
for x_batch, y_batch in batches:
    uninterrupted.train_on_batch(x_batch, y_batch)

first_half = compiled_mlp(seed=1)
for x_batch, y_batch in batches[:5]:
    first_half.train_on_batch(x_batch, y_batch)
first_half.save(run_folder / "after_5_steps.keras")
resumed = keras.models.load_model(run_folder / "after_5_steps.keras")
weights_only = compiled_mlp(seed=1)
weights_only.set_weights(first_half.get_weights())
for model in (resumed, weights_only):
    for x_batch, y_batch in batches[5:]:
        model.train_on_batch(x_batch, y_batch)


def same_weights(a, b):
    return all(np.allclose(u, v, rtol=1e-4, atol=1e-5) for u, v in zip(a.get_weights(), b.get_weights(), strict=True))


print("resumed from the .keras file = uninterrupted:", same_weights(resumed, uninterrupted))
print("weights only, fresh optimizer = uninterrupted:", same_weights(weights_only, uninterrupted))

# %% [markdown]
# **Surviving an interrupted `fit`.** `BackupAndRestore` saves the training state (weights,
# optimizer, epoch) at the end of every epoch, and a later `fit` with the same callback
# continues where the last one stopped. We simulate a power cut at the start of epoch 3:

# %%
class PowerCut(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 2:
            raise RuntimeError("power cut at the start of epoch 3")


backup = keras.callbacks.BackupAndRestore(run_folder / "backup")
interrupted = compiled_mlp(seed=2)
try:
    interrupted.fit(x_flat[:1000], y_train[:1000], batch_size=64, epochs=4, callbacks=[backup, PowerCut()], verbose=0)
except RuntimeError as error:
    print("fit stopped:", error)

# %%
restarted = compiled_mlp(seed=2)   # a new process would also start from a fresh model
history = restarted.fit(x_flat[:1000], y_train[:1000], batch_size=64, epochs=4, callbacks=[backup], verbose=0)
print("epochs run after the restart:", [epoch + 1 for epoch in history.epoch])
never_interrupted = compiled_mlp(seed=2)
never_interrupted.fit(x_flat[:1000], y_train[:1000], batch_size=64, epochs=4, verbose=0)
print("same weights as a run never interrupted:", same_weights(restarted, never_interrupted))

# %% [markdown]
# **Exporting for serving.** `model.export` writes a TensorFlow SavedModel: the forward
# pass as a graph with its weights, loadable without the Python code that built it
# (TensorFlow Serving, TFLite converters, other languages).

# %%
export_dir = run_folder / "mlp_savedmodel"
restarted.export(export_dir, verbose=False)
served = tf.saved_model.load(str(export_dir))
print("signatures:", sorted(served.signatures))
print("same predictions as the Keras model:",
      np.allclose(served.serve(x_test_flat).numpy(), restarted.predict(x_test_flat, verbose=0), rtol=1e-3, atol=1e-3))

# %% [markdown]
# ## 8. TensorBoard
#
# The `keras.callbacks.TensorBoard` callback writes the metrics of every epoch (and,
# on request, histograms of the weights and a profile of steps) as event files that the
# TensorBoard dashboard reads. The scalars can also be read back in Python:

# %%
log_dir = runs.run_dir("16_scaling_up", "logs")
logged = compiled_mlp()
logged.fit(x_flat[:2000], y_train[:2000], validation_data=(x_test_flat, y_test),
           batch_size=64, epochs=4, callbacks=[keras.callbacks.TensorBoard(log_dir)], verbose=0)
scalars = runs.read_scalars(log_dir)
print("logs in", log_dir.relative_to(runs.runs_dir().parent))
for run_name, tags in scalars.items():
    print(f"{run_name}: {sorted(tags)}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.2))
for run_name in ("train", "validation"):
    steps, values = zip(*scalars[run_name]["epoch_loss"], strict=True)
    ax.plot(np.array(steps) + 1, values, marker=".", label=run_name)
ax.set(xlabel="epoch", ylabel="loss", title="read back from the TensorBoard logs")
ax.legend()
print("epochs logged:", len(scalars["train"]["epoch_loss"]))

# %% [markdown]
# Inside JupyterLab the next cell shows the dashboard itself (it starts a TensorBoard
# server from this environment, offline). When the notebook runs without a browser,
# as in the course's tests, it only says how to start it.

# %%
# NBVAL_IGNORE_OUTPUT
# %load_ext tensorboard
if runs.tensorboard_here():
    print("TensorBoard reads", log_dir)
    # %tensorboard --logdir {log_dir}
else:
    print(f"Not inside JupyterLab: start `tensorboard --logdir {log_dir.relative_to(runs.runs_dir().parent)}` "
          "from the project's folder and open the address it prints.")

# %% [markdown]
# ## 9. The whole picture on your machine
#
# `scripts/benchmark_scaling.py` measures what this notebook teaches, on whatever device
# runs it, and prints a table of the seconds per epoch of the same CNN in float32, in mixed
# precision, with XLA, fed by NumPy or by `tf.data`, and on two replicas. Run
# `.venv/bin/python scripts/benchmark_scaling.py` on a laptop and on a GPU box and
# compare. One run on the 2-core CPU this course was written on (AVX-512 with bfloat16
# instructions, no GPU), shared with other jobs, so each figure may be off by half:
#
# | configuration | s/epoch | first epoch (s) | test accuracy |
# |---|---|---|---|
# | float32, NumPy arrays | 0.56 | 1.38 | 0.945 |
# | mixed_float16 | 2.88 | 3.07 | 0.948 |
# | mixed_bfloat16 | 0.62 | 1.39 | 0.946 |
# | float32 + XLA (jit_compile=True) | 2.74 | 8.06 | 0.949 |
# | tf.data: decode, cache, augment, serial | 1.36 | 1.42 | 0.939 |
# | tf.data: the same, parallel + prefetch | 1.11 | 1.77 | 0.939 |
# | MirroredStrategy, 2 logical CPUs | 1.20 | 1.71 | 0.949 |
#
# | six dense layers of 32 on 2-D points, one training step | µs/step | first call (s) |
# |---|---|---|
# | without XLA | 488 | 1.14 |
# | with XLA | 425 | 1.90 |
#
# What held in every run there: float16 was slower than float32; XLA made the CNN slower,
# not faster; and the strategy on two logical CPUs was slower than one device, because
# both logical devices share the same two cores, so splitting the batch and summing the
# gradients adds work without adding arithmetic units. bfloat16 ran about as fast as
# float32 on that CPU; the parallel pipeline beat the serial one only when cores were
# free for it (the `tf.data` rows also decode and augment every digit, work the NumPy row
# skips); and the small network's step gained between nothing and a factor of two from
# XLA, depending on the run. On a GPU the ranking changes: mixed precision and XLA usually
# pay, and the input pipeline becomes the thing to watch.

# %% [markdown]
# ## Summary
#
# - ResNet-50 went from 29 hours to 224 seconds by spreading about the same 200 device-hours
#   over thousands of GPUs, with batches of tens of thousands of images.
# - A CPU reaches tens to hundreds of GFLOP/s on a matrix product, a GPU tens to hundreds of
#   TFLOP/s; training FLOPs ≈ 3 × forward FLOPs turn that into a time estimate.
# - Mixed precision computes in 16 bits and keeps float32 variables; float16 needs loss
#   scaling (`scale_loss` in the tape, unscale in the optimizer, adapt $S$); it pays on
#   GPUs with tensor cores, not on CPUs without 16-bit units.
# - XLA fuses small ops (up to 2× on a small network here) but not big convolutions, costs a
#   compilation per shape, and is refused by Keras under op determinism.
# - `tf.data`: decode → `cache` → `shuffle` → stateless `map` in parallel → `batch` →
#   `prefetch`; a timeline shows whether the step waits for its data.
# - `MirroredStrategy` sums replica gradients: divide per-example losses by the *global*
#   batch (`tf.nn.compute_average_loss`), and scale the learning rate with the batch.
# - A `.keras` file carries the optimizer's state, so resuming continues exactly;
#   `ModelCheckpoint(save_best_only=True)` keeps the best epoch, `BackupAndRestore`
#   survives interruptions, `model.export` makes a SavedModel; TensorBoard logs are event
#   files you can read back.
#
# ## Further reading
#
# - H. Mikami et al. (2018), *ImageNet/ResNet-50 training in 224 seconds* (the lecture's table).
# - P. Goyal et al. (2017), *Accurate, large minibatch SGD: training ImageNet in 1 hour*.
# - P. Micikevicius et al. (2018), *Mixed precision training*.
# - The TensorFlow guides *Better performance with the tf.data API*, *Distributed training with
#   TensorFlow* and *Mixed precision*, and the Keras guide *Customizing what happens in fit()*.
# - N. P. Jouppi et al. (2017), *In-datacenter performance analysis of a tensor processing unit*.
