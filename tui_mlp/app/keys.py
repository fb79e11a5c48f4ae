"""The app's keys: one list, read by the app, its footer and its help screen."""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_KEYS: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", tooltip="Cancel training; the partial result stays"),
    Binding("space", "pause", "Pause", tooltip="Pause or resume training (outside the text fields)"),
    Binding("space", "resume", "Resume", tooltip="Resume the paused training"),  # shown instead while paused
    Binding("w", "toggle_table", "Weights", tooltip="Switch the panels between graph and weight tables"),
    Binding(
        "b",
        "toggle_boundary",
        "Boundary",
        tooltip="Show or hide the decision boundary or fitted curve",
    ),
    Binding("g", "backprop", "Backprop", tooltip="Show or hide the backprop view: the next training step, worked"),
    Binding(
        "right_square_bracket",
        "sample(1)",
        "Sample →",
        tooltip="The next training sample: drawn in the Node pane (images), stepped on in the backprop view",
        show=False,
    ),
    Binding("left_square_bracket", "sample(-1)", "Sample ←", tooltip="The previous training sample", show=False),
    Binding("s", "step", "Step", tooltip="One training step (a new run starts paused; outside the text fields)"),
    Binding("l", "toggle_log", "Log loss", tooltip="Switch the loss chart between linear and log scale"),
    Binding("ctrl+s", "snapshot", "Snapshot", tooltip="Write before/after/loss to a timestamped .txt here"),
    Binding("f1,question_mark", "help", "Help", tooltip="Show every key"),
    Binding("f2", "focus('before')", "Before", tooltip="Go to the Before panel (its node cursor)", show=False),
    Binding("f3", "focus('after')", "After", tooltip="Go to the After panel (its node cursor)", show=False),
    Binding("f4", "focus('hidden')", "Fields", tooltip="Go back to the fields", show=False),
    Binding("ctrl+q", "quit", "Quit", tooltip="Quit tui-mlp", priority=True),
]

BACKPROP_KEYS: list[BindingType] = [  # in the backprop view (``g``)
    Binding("n", "phase(1)", "Phase →", tooltip="Next phase: forward, loss, backward, update"),
    Binding("p", "phase(-1)", "Phase ←", tooltip="Previous phase", show=False),
    # the app's sample keys, in this view's footer: the sample the view steps on is the one the Node pane draws
    Binding("right_square_bracket", "app.sample(1)", "Sample →", tooltip="The next training sample"),
    Binding("left_square_bracket", "app.sample(-1)", "Sample ←", tooltip="The previous training sample", show=False),
    Binding("a", "all_samples", "All", tooltip="All samples at once: the full-batch gradient (again: one sample)"),
    Binding("u", "toggle_update", "∂L/∂w|Δw", tooltip="Edges going back show ∂L/∂w or the change Δw", show=False),
]
