"""One render cache for every panel: a drawing's segments, kept by what they depend on."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cached_property

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

RECENT = 8  # drawings kept per cache


class RenderCache:
    """The segments of a panel's recent drawings, by key: (parameter version, size, options).

    Textual renders the same content more than once at one size (to measure its
    height, then to paint it, and again when the panel is refreshed), and a panel
    often goes back to a drawing it has just shown (``w`` twice, a cursor moved
    back): each is drawn once while it is among the last ``RECENT``.
    """

    def __init__(self) -> None:
        self._segments: OrderedDict[Hashable, list[Segment]] = OrderedDict()

    def drawing(self, key: Hashable, make: Callable[[], RenderableType]) -> Cached:
        """A renderable that draws ``make()`` through this cache; ``key`` must name everything
        the drawing depends on (parameter version, options, height) but the width Rich offers."""
        return Cached(self, key, make)

    def segments(self, key: Hashable, render: Callable[[], list[Segment]]) -> list[Segment]:
        """The segments kept for ``key``, or ``render()``'s, then kept."""
        if key in self._segments:
            self._segments.move_to_end(key)
        else:
            self._segments[key] = render()
            if len(self._segments) > RECENT:
                self._segments.popitem(last=False)
        return self._segments[key]


class Cached:
    """``make()``'s renderable, drawn through ``cache`` once per key and width."""

    def __init__(self, cache: RenderCache, key: Hashable, make: Callable[[], RenderableType]) -> None:
        self.cache, self.key, self.make = cache, key, make

    @cached_property
    def renderable(self) -> RenderableType:
        return self.make()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (self.key, options.max_width)
        yield from self.cache.segments(key, lambda: list(console.render(self.renderable, options)))
