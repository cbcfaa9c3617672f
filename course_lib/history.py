"""Milestones of neural-network research, 1943-2018, for the course's opening timeline.

Dates follow the lecture material; where a slide gives the year an idea became popular
rather than the year it was published, the publication year is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import validate


@dataclass(frozen=True)
class Event:
    year: int
    label: str
    notebook: str | None = None  # where the course teaches it


@dataclass(frozen=True)
class Era:
    start: int
    end: int
    name: str


EVENTS: tuple[Event, ...] = (
    Event(1943, "McCulloch & Pitts: formal neuron", "02"),
    Event(1949, "Hebb's learning rule"),
    Event(1958, "Rosenblatt's perceptron", "02"),
    Event(1960, "Widrow & Hoff: Adaline", "02"),
    Event(1969, "Minsky & Papert: XOR limits", "02"),
    Event(1986, "Backpropagation (Rumelhart, Hinton, Williams)", "03"),
    Event(1989, "Universal approximation (Cybenko, Hornik)", "03"),
    Event(1989, "LeCun's convolutional networks", "06"),
    Event(1995, "Support vector machines (Cortes & Vapnik)"),
    Event(1997, "LSTM (Hochreiter & Schmidhuber)", "10"),
    Event(1998, "LeNet-5 reads cheques", "07"),
    Event(2004, "Caltech 101: kernels and features rule"),
    Event(2006, "Deep belief nets: layer-wise pretraining"),
    Event(2010, "GPUs train deep nets"),
    Event(2012, "AlexNet wins ImageNet", "07"),
    Event(2013, "Variational autoencoders", "13"),
    Event(2014, "Generative adversarial networks", "14"),
    Event(2014, "Sequence-to-sequence translation", "11"),
    Event(2015, "ResNet: 152 layers", "07"),
    Event(2016, "AlphaGo beats Lee Sedol"),
    Event(2015, "Adversarial examples (FGSM)", "08"),
    Event(2018, "Turing Award: Bengio, Hinton, LeCun"),
)

ERAS: tuple[Era, ...] = (
    Era(1943, 1969, "first wave"),
    Era(1969, 1985, "first winter"),
    Era(1985, 1995, "second wave"),
    Era(1995, 2006, "second winter"),
    Era(2006, 2018, "deep learning"),
)

ERA_NAMES: tuple[str, ...] = ("all", *(era.name for era in ERAS))


def select_events(
    era: str = "all", *, start: int = 1943, end: int = 2018, taught_only: bool = False
) -> list[Event]:
    """Events of one era (or ``"all"``) between ``start`` and ``end`` inclusive.

    Args:
        era: one of :data:`ERA_NAMES`.
        start, end: the year range to keep.
        taught_only: keep only events that a course notebook teaches.

    Raises:
        ValueError: an unknown era or ``start > end``.
    """
    era = validate.choice("era", era, ERA_NAMES)
    start = validate.integer("start", start)
    end = validate.integer("end", end)
    taught_only = validate.flag("taught_only", taught_only)
    if start > end:
        raise ValueError(f"start ({start}) must not be after end ({end})")
    if era != "all":
        span = next(e for e in ERAS if e.name == era)
        start, end = max(start, span.start), min(end, span.end)
    return [
        event
        for event in EVENTS
        if start <= event.year <= end and (event.notebook is not None or not taught_only)
    ]


def describe(events: list[Event]) -> str:
    """One line per event, with the notebook that teaches it."""
    events = validate.items("events", events, "history events")
    for i, event in enumerate(events):
        validate.instance(f"events[{i}]", event, Event, "a history.Event")
    if not events:
        return "No milestones in this selection."
    return "\n".join(
        f"{e.year}  {e.label}" + (f"  → notebook {e.notebook}" if e.notebook else "")
        for e in events
    )
