"""Benchmark: the NumPy convolution layers against Keras on a LeNet-sized batch.

    python scripts/benchmark_scratch_conv.py [--batch 64] [--repeats 20]

Times one forward and backward pass through LeNet-5's two convolution layers and their
pooling (C1: 28x28x1 -> 6 maps 5x5 "same", S2 average pooling, C3: 14x14x6 -> 16 maps 5x5
"valid", S4 average pooling) in float32, with ``course_lib.scratch`` and with Keras layers
under ``tf.GradientTape`` (compiled with ``tf.function``, as ``fit`` does). Prints the
median time of each and the ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from course_lib import runtime, scratch


def median_seconds(step, repeats: int) -> float:
    step()  # warm-up (tracing, caches)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    report = runtime.setup(seed=0, verbose=False)
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.batch, 28, 28, 1)).astype(np.float32)
    k1 = (0.1 * rng.normal(size=(5, 5, 1, 6))).astype(np.float32)
    k3 = (0.1 * rng.normal(size=(5, 5, 6, 16))).astype(np.float32)
    b1, b3 = np.zeros(6, np.float32), np.zeros(16, np.float32)

    def scratch_step():
        h1, c1 = scratch.conv2d_forward(x, k1, b1, padding="same")
        p1, s2 = scratch.avgpool2d_forward(h1, 2)
        h3, c3 = scratch.conv2d_forward(p1, k3, b3)
        p3, s4 = scratch.avgpool2d_forward(h3, 2)
        d = scratch.avgpool2d_backward(np.ones_like(p3), s4)
        g3 = scratch.conv2d_backward(d, c3)
        d = scratch.avgpool2d_backward(g3["x"], s2)
        return scratch.conv2d_backward(d, c1)

    c1 = keras.layers.Conv2D(6, 5, padding="same")
    c3 = keras.layers.Conv2D(16, 5)
    s2, s4 = keras.layers.AveragePooling2D(2), keras.layers.AveragePooling2D(2)
    c1.build(x.shape)
    c3.build((args.batch, 14, 14, 6))
    c1.set_weights([k1, b1])
    c3.set_weights([k3, b3])
    x_tf = tf.constant(x)
    variables = [c1.kernel.value, c1.bias.value, c3.kernel.value, c3.bias.value]

    @tf.function
    def keras_step():
        with tf.GradientTape() as tape:
            tape.watch(x_tf)
            loss = tf.reduce_sum(s4(c3(s2(c1(x_tf)))))
        return tape.gradient(loss, [x_tf, *variables])

    # same numbers first, then the timing
    ours = scratch_step()
    theirs = keras_step()
    assert np.allclose(ours["x"], theirs[0].numpy(), atol=1e-4)

    scratch_s = median_seconds(scratch_step, args.repeats)
    keras_s = median_seconds(lambda: [g.numpy() for g in keras_step()], args.repeats)
    print(f"device: {report.device}; batch {args.batch}, LeNet-5's C1-S2-C3-S4, forward + backward")
    print(f"scratch (NumPy) : {1000 * scratch_s:7.2f} ms")
    print(f"Keras (TF)      : {1000 * keras_s:7.2f} ms")
    print(f"ratio           : {scratch_s / keras_s:7.1f} x")


if __name__ == "__main__":
    main()
