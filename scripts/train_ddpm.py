"""Train the course's pretrained diffusion models behind ``generative.sample``.

    python scripts/train_ddpm.py                 # writes data/ddpm_digits.keras
                                                 #    and data/ddpm_ring.keras
    python scripts/train_ddpm.py --only digits   # one of the two

* ``ddpm`` (``course_lib.generative.denoisers.digit_denoiser``, a small U-Net): trained
  with a fixed seed on the 4,000 embedded training digits (``data.load_mnist()``, so the
  script runs offline), scaled to [-1, 1], with the noise-prediction loss of Ho et al.
  (2020) on the cosine schedule with T = 100 steps, Adam with a cosine-decayed learning
  rate, batch 128. An exponential moving average of the weights (decay 0.999) is kept
  and shipped; the script then scores 1,000 samples drawn as ``generative.sample("ddpm")``
  draws them (20 steps).
* ``ddpm_ring`` (``point_denoiser``, a 3 x 128 SiLU MLP): trained the same way on the
  8-Gaussian ring, sampled by ancestral sampling.

Only the networks are saved (never compiled: no optimizer state). Op determinism is on
(``runtime.setup``), so the same machine gives the same files; another CPU may differ in
the last bits.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from course_lib import data, runtime
from course_lib.generative import pretrained

digit_channels = 32
digit_steps = 6000
digit_batch = 128
digit_learning_rate = 2e-3
ema_decay = 0.999
ring_steps = 6000
ring_batch = 256
ring_learning_rate = 2e-3


def _average_tracker(model, average):
    import tensorflow as tf

    average.set_weights(model.get_weights())

    @tf.function
    def update():
        for mean, weight in zip(average.weights, model.weights, strict=True):
            mean.assign(ema_decay * mean + (1 - ema_decay) * weight)

    return update


def train_digits(steps: int, output: Path) -> None:
    import keras

    from course_lib import generative
    from course_lib.generative import denoisers, diffusion

    (x_train, _), _ = data.load_mnist()
    images = denoisers.to_signed(x_train)
    keras.utils.set_random_seed(0)
    schedule = diffusion.noise_schedule(*denoisers.DIGITS_SCHEDULE)
    model = denoisers.digit_denoiser(schedule.num_steps, digit_channels)
    average = denoisers.digit_denoiser(schedule.num_steps, digit_channels)
    update_average = _average_tracker(model, average)
    rate = keras.optimizers.schedules.CosineDecay(digit_learning_rate, steps)
    step = denoisers.denoiser_train_step(model, keras.optimizers.Adam(rate), schedule, seed=0)
    rng = np.random.default_rng(0)
    started, losses = time.perf_counter(), []
    for i in range(steps):
        losses.append(float(step(images[rng.integers(0, len(images), digit_batch)])))
        update_average()
        if (i + 1) % 500 == 0 or i + 1 == steps:
            print(f"step {i + 1}: loss {np.mean(losses[-500:]):.4f}, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    output.parent.mkdir(parents=True, exist_ok=True)
    average.save(output)  # the running average of the weights: smoother samples than the last step's
    started = time.perf_counter()
    predict = denoisers.noise_predictor(average, batch_size=500)  # sampled as generative.sample("ddpm")
    samples, _ = diffusion.reverse_sample(predict, (1000, 28, 28, 1), schedule, seed=1, method="ddim",
                                          num_steps=denoisers.DIGITS_SAMPLING_STEPS, eta=1.0, clip=1.0)
    samples = denoisers.to_unit(samples)
    sampling_seconds = time.perf_counter() - started
    scores = generative.score_images(samples, "ddpm")
    print(f"ddpm (average of the weights): {steps} steps on {len(images)} digits in {seconds:.0f} s; "
          f"1,000 samples in {sampling_seconds:.0f} s: Fréchet distance {scores.frechet:.1f}, confident "
          f"{scores.confident_share:.1%}, smallest class {scores.smallest_class_share:.1%}; saved to "
          f"{output} ({output.stat().st_size / 1024:.0f} KiB, {average.count_params():,} parameters)")


def train_ring(steps: int, output: Path) -> None:
    import keras

    from course_lib.generative import denoisers, diffusion, ring

    keras.utils.set_random_seed(0)
    schedule = diffusion.noise_schedule(*denoisers.RING_SCHEDULE)
    model = denoisers.point_denoiser(schedule.num_steps)
    rate = keras.optimizers.schedules.CosineDecay(ring_learning_rate, steps)
    step = denoisers.denoiser_train_step(model, keras.optimizers.Adam(rate), schedule, seed=0,
                                         jit_compile=True)
    points = ring.ring_data(steps * ring_batch, seed=0)
    started = time.perf_counter()
    for i in range(steps):
        loss = step(points[i * ring_batch:(i + 1) * ring_batch])
    seconds = time.perf_counter() - started
    output.parent.mkdir(parents=True, exist_ok=True)
    model.save(output)
    predict = denoisers.noise_predictor(model)
    samples, _ = diffusion.reverse_sample(predict, (1000, 2), schedule, seed=1)
    scores = ring.score_ring(samples)
    print(f"ddpm_ring: {steps} steps in {seconds:.0f} s (last loss {float(loss):.3f}); energy "
          f"distance {scores.energy:.3f}, modes {scores.modes_covered} / 8, high quality "
          f"{scores.high_quality_share:.0%}; saved to {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digit-steps", type=int, default=digit_steps)
    parser.add_argument("--ring-steps", type=int, default=ring_steps)
    parser.add_argument("--only", choices=("digits", "ring"), default=None)
    parser.add_argument("--output-dir", type=Path, default=pretrained.DATA_DIR)
    args = parser.parse_args()
    runtime.setup(seed=0, verbose=False)
    started = time.perf_counter()
    if args.only in (None, "ring"):
        train_ring(args.ring_steps, args.output_dir / "ddpm_ring.keras")
    if args.only in (None, "digits"):
        train_digits(args.digit_steps, args.output_dir / "ddpm_digits.keras")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
