"""Every pretrained generator of the course, measured in one run with the course's metrics.

    python scripts/sample_quality_table.py [--samples 1000] [--seed 1]

Digits (``vae``, ``dcgan``, ``ddpm``): Fréchet distance in the MNIST classifier's feature
space, confident share and smallest class share, next to real held-out digits, a Gaussian
fitted to the pixels and uniform noise. 2-D ring (``gan_ring``, ``ddpm_ring``): energy
distance, modes covered and high-quality share, next to real ring data and a Gaussian fit.
Each generator's sampling time is printed with its row.
"""

from __future__ import annotations

import argparse
import time

from course_lib import generative, runtime

DIGIT_SAMPLERS = ("vae", "dcgan", "ddpm")
RING_SAMPLERS = ("gan_ring", "ddpm_ring")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000, help="samples per generator")
    parser.add_argument("--seed", type=int, default=1, help="seed of every sampler")
    args = parser.parse_args()
    runtime.setup(seed=0, verbose=False)

    seconds = {}
    image_scores = [generative.score_images(images, name) for name, images
                    in generative.image_references(args.samples, args.seed).items()]
    for name in DIGIT_SAMPLERS:
        started = time.perf_counter()
        images = generative.sample(name, args.samples, seed=args.seed)
        seconds[name] = time.perf_counter() - started
        image_scores.append(generative.score_images(images, name))
    print(f"## Digits, {args.samples} samples each")
    generative.print_image_scores(image_scores)

    ring_scores = [generative.score_ring(points, name) for name, points
                   in generative.ring_references(args.samples, args.seed).items()]
    for name in RING_SAMPLERS:
        started = time.perf_counter()
        points = generative.sample(name, args.samples, seed=args.seed)
        seconds[name] = time.perf_counter() - started
        ring_scores.append(generative.score_ring(points, name))
    print(f"\n## 8-Gaussian ring, {args.samples} samples each")
    generative.print_ring_scores(ring_scores)

    print("\n## Sampling time")
    for name, value in seconds.items():
        print(f"{name:<10} {value:6.1f} s")


if __name__ == "__main__":
    main()
