"""Train the course's pretrained GANs: the DCGAN and the ring GAN behind ``generative.sample``.

    python scripts/train_dcgan.py               # writes data/dcgan_generator.keras
                                                #    and data/gan_ring_generator.keras

* The DCGAN (``course_lib.generative.gan``: ``digit_generator``/``digit_discriminator``,
  32 latent units) is trained with a fixed seed on the 4,000 embedded training digits
  (``data.load_mnist()``, so the script runs offline), Adam 2e-4 with beta_1 = 0.5 for
  both networks, batch 64, the non-saturating generator loss. An exponential moving
  average of the generator's weights (decay 0.995) is kept along the way; the script
  ships whichever of the last and the averaged generator has the lower Fréchet distance.
* The ring GAN (``point_generator``/``point_discriminator``, 128-unit MLPs) is trained on
  the 8-Gaussian ring with PacGAN packing (the discriminator judges pairs), the remedy
  for mode collapse that notebook 14 measures.

Only the generators are saved (never compiled: no optimizer state). Op determinism is on
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

latent_dim = 32
num_epochs = 40
batch_size = 64
learning_rate = 2e-4
ema_decay = 0.995  # the shipped generator averages the weights of the last few hundred steps
ring_steps = 4000
ring_pack = 2


def train_dcgan(epochs: int, output: Path) -> None:
    import keras
    import tensorflow as tf

    from course_lib import generative
    from course_lib.generative import gan

    (x_train, _), _ = data.load_mnist()
    keras.utils.set_random_seed(0)
    generator = gan.digit_generator(latent_dim)
    discriminator = gan.digit_discriminator()
    step = gan.gan_train_step(
        generator, discriminator,
        keras.optimizers.Adam(learning_rate, beta_1=0.5),
        keras.optimizers.Adam(learning_rate, beta_1=0.5),
        batch_size=batch_size, seed=0,
    )
    average = gan.digit_generator(latent_dim)
    average.set_weights(generator.get_weights())

    @tf.function
    def update_average():
        for mean, weight in zip(average.weights, generator.weights, strict=True):
            mean.assign(ema_decay * mean + (1 - ema_decay) * weight)

    rng = np.random.default_rng(0)
    per_epoch = len(x_train) // batch_size
    started = time.perf_counter()
    for epoch in range(epochs):
        order = rng.permutation(len(x_train))
        for i in range(per_epoch):
            d_loss, g_loss = step(x_train[order[i * batch_size:(i + 1) * batch_size]])
            update_average()
        if (epoch + 1) % 5 == 0 or epoch + 1 == epochs:
            print(f"epoch {epoch + 1}: D loss {float(d_loss):.3f}, G loss {float(g_loss):.3f}, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    # Ship whichever of the last generator and its running average scores better (the
    # average usually does: it smooths the oscillation of adversarial training).
    codes = np.random.default_rng(1).standard_normal((1000, latent_dim)).astype(np.float32)
    candidates = {name: (model, generative.score_images(model.predict(codes, verbose=0), name))
                  for name, model in (("last", generator), ("average", average))}
    for name, (_, scores) in candidates.items():
        print(f"{name} generator: Fréchet distance {scores.frechet:.1f}")
    generator, scores = min(candidates.values(), key=lambda pair: pair[1].frechet)
    output.parent.mkdir(parents=True, exist_ok=True)
    generator.save(output)
    print(f"DCGAN ({scores.name} generator): {epochs} epochs on {len(x_train)} digits in {seconds:.0f} s; Fréchet distance "
          f"{scores.frechet:.1f}, confident {scores.confident_share:.1%}, smallest class "
          f"{scores.smallest_class_share:.1%}; saved to {output} "
          f"({output.stat().st_size / 1024:.0f} KiB, {generator.count_params():,} parameters)")


def train_ring(steps: int, output: Path) -> None:
    from course_lib.generative import gan, ring

    started = time.perf_counter()
    run = gan.train_point_gan(steps, pack=ring_pack, seed=0)
    seconds = time.perf_counter() - started
    run.generator.save(output)
    scores = ring.score_ring(run.snapshots[-1])
    print(f"ring GAN: {steps} steps in {seconds:.0f} s; energy distance {scores.energy:.3f}, "
          f"modes {scores.modes_covered} / 8, high quality {scores.high_quality_share:.0%}; "
          f"saved to {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=num_epochs)
    parser.add_argument("--ring-steps", type=int, default=ring_steps)
    parser.add_argument("--only", choices=("dcgan", "ring"), default=None)
    args = parser.parse_args()
    runtime.setup(seed=0, verbose=False)
    if args.only in (None, "ring"):
        train_ring(args.ring_steps, pretrained.DATA_DIR / "gan_ring_generator.keras")
    if args.only in (None, "dcgan"):
        train_dcgan(args.epochs, pretrained.DATA_DIR / "dcgan_generator.keras")


if __name__ == "__main__":
    main()
