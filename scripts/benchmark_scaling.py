"""Seconds per epoch of notebook 16's CNN under each scaling technique, on this machine.

    python scripts/benchmark_scaling.py [--epochs 3] [--digits 4000]

Trains the same small CNN (two convolutions, max pooling, a dense softmax layer) on the
embedded MNIST digits, batch 64, in one process, one configuration after the other:
float32, the mixed float16 and bfloat16 policies, XLA (``jit_compile=True``), input from
NumPy arrays or from a ``tf.data`` pipeline (PNG decoding, cache, augmentation, serial or
parallel with prefetch), and ``MirroredStrategy`` over two logical CPUs (or over every GPU
when there are several). Also times the training step of a small dense network on 2-D
points, with and without XLA. Prints Markdown tables; run it on a laptop and on a GPU
machine to compare.

Op determinism is left off here (unlike in the notebooks), so that Keras accepts
``jit_compile=True``. "first epoch" includes tracing the step (and compiling it, for XLA);
"s/epoch" is the median of the later epochs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from course_lib import data, runtime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs per configuration (>= 2)")
    parser.add_argument("--digits", type=int, default=4000, help="training digits (<= 4000)")
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch includes tracing")

    report = runtime.setup(seed=0, deterministic_ops=False, logical_cpus=2, verbose=False)
    import keras
    import tensorflow as tf

    from course_lib import scaling

    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_train, y_train = x_train[: args.digits], y_train[: args.digits]
    print(f"device: {report.device}; TensorFlow {report.tensorflow}; {len(x_train)} digits, "
          f"batch 64, {args.epochs} epochs per row\n")

    def cnn(policy: str = "float32") -> keras.Model:
        keras.mixed_precision.set_global_policy(policy)
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(),
            keras.layers.Flatten(), keras.layers.Dense(10),
            keras.layers.Activation("softmax", dtype="float32"),
        ])
        keras.mixed_precision.set_global_policy("float32")
        return model

    def compile_and_fit(model, jit_compile=False, **feed) -> tuple[float, float, float]:
        model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=jit_compile)
        timer = scaling.EpochTimer()
        model.fit(**feed, epochs=args.epochs, callbacks=[timer], verbose=0)
        accuracy = model.evaluate(x_test, y_test, batch_size=500, verbose=0)[1]
        return statistics.median(timer.seconds[1:]), timer.first, accuracy

    def decode(png, label):
        return tf.image.convert_image_dtype(tf.io.decode_png(png, channels=1), tf.float32), label

    def augment(image, label, seed):
        image = tf.image.stateless_random_jpeg_quality(image, 50, 95, seed=seed)
        image = tf.image.resize_with_crop_or_pad(image, 32, 32)
        return tf.image.stateless_random_crop(image, (28, 28, 1), seed=seed), label

    png_files = [tf.io.encode_png(tf.cast(image * 255, tf.uint8)).numpy() for image in x_train]

    def pipeline(parallel: bool) -> tf.data.Dataset:
        threads = tf.data.AUTOTUNE if parallel else None
        dataset = tf.data.Dataset.from_tensor_slices((png_files, y_train))
        dataset = dataset.map(decode, num_parallel_calls=threads).cache().shuffle(len(y_train), seed=0)
        dataset = tf.data.Dataset.zip(dataset, tf.data.Dataset.counter()).map(
            lambda example, position: augment(*example, seed=tf.stack([position, 0])),
            num_parallel_calls=threads).batch(64)
        if parallel:
            return dataset.prefetch(tf.data.AUTOTUNE)
        options = tf.data.Options()
        options.experimental_optimization.inject_prefetch = False
        return dataset.with_options(options)

    arrays = dict(x=x_train, y=y_train, batch_size=64)
    rows: list[tuple[str, str, str, str]] = []

    def run(name: str, build, jit_compile=False, **feed) -> None:
        keras.utils.set_random_seed(0)
        steady, first, accuracy = compile_and_fit(build(), jit_compile, **feed)
        rows.append((name, f"{steady:.2f}", f"{first:.2f}", f"{accuracy:.3f}"))
        print(f"  {name}: {steady:.2f} s/epoch", flush=True)

    run("float32, NumPy arrays", cnn, **arrays)
    run("mixed_float16", lambda: cnn("mixed_float16"), **arrays)
    problem = scaling.bfloat16_problem()
    if problem:
        rows.append(("mixed_bfloat16", "skipped", problem, ""))
    else:
        run("mixed_bfloat16", lambda: cnn("mixed_bfloat16"), **arrays)
    run("float32 + XLA (jit_compile=True)", cnn, jit_compile=True, **arrays)
    run("tf.data: decode, cache, augment, serial", cnn, x=pipeline(parallel=False), shuffle=False)
    run("tf.data: the same, parallel + prefetch", cnn, x=pipeline(parallel=True), shuffle=False)

    gpus = tf.config.list_logical_devices("GPU")
    devices = [d.name for d in gpus] if len(gpus) > 1 else [
        d.name for d in tf.config.list_logical_devices("CPU")]
    strategy = tf.distribute.MirroredStrategy(devices)
    with strategy.scope():
        label = f"MirroredStrategy, {strategy.num_replicas_in_sync} {'GPUs' if len(gpus) > 1 else 'logical CPUs'}"
        run(label, cnn, **arrays)

    def make_step(model, optimizer, jit_compile: bool):
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @tf.function(jit_compile=jit_compile)
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply(gradients, model.trainable_variables)
            return loss
        return train_step

    points, point_labels = data.make_2d("moons", 64)
    step_times = {}
    for jit in (False, True):
        keras.utils.set_random_seed(0)
        mlp = keras.Sequential([keras.Input((2,)), *[keras.layers.Dense(32, activation="relu") for _ in range(5)],
                                keras.layers.Dense(2)])
        step = make_step(mlp, keras.optimizers.Adam(1e-2), jit)
        step_times[jit] = scaling.time_calls(step, points, point_labels, calls=500, blocks=10)

    print("\n| configuration | s/epoch | first epoch (s) | test accuracy |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| six dense layers of 32 on 2-D points, one training step | µs/step | first call (s) |")
    print("|---|---|---|")
    for jit, times in step_times.items():
        print(f"| {'with' if jit else 'without'} XLA | {times.seconds_per_call * 1e6:.0f} | "
              f"{times.first_seconds:.2f} |")
    print(f"\nmeasured {time.strftime('%Y-%m-%d')}; matrix product: "
          f"{scaling.matmul_gflops(1024):.0f} GFLOP/s float32 on the CPU"
          + (f", {scaling.matmul_gflops(4096, device='/GPU:0'):,.0f} on the GPU" if gpus else ""))


if __name__ == "__main__":
    main()
