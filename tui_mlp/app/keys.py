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
    Binding("f5", "runs", "Runs", tooltip="Every run of this session: sort, draw in the chart, compare, train again"),
    Binding(
        "d", "difference", "B − A", tooltip="While comparing two runs: After shows B − A, weight by weight", show=False
    ),
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

REPLAY_KEYS: list[BindingType] = [  # a cursor through the run's checkpoints (``app.replay``)
    Binding("r", "play", "Replay", tooltip="Play the run's checkpoints from the start, or stop playing"),
    Binding("comma", "replay(-1)", "Epoch ←", tooltip="Back one checkpoint (After shows the network then)", show=False),
    Binding("full_stop", "replay(1)", "Epoch →", tooltip="On one checkpoint (past the last: live again)", show=False),
    Binding("less_than_sign", "replay_jump(-1)", "Epoch ←←", tooltip="Back 10 % of the epochs", show=False),
    Binding("greater_than_sign", "replay_jump(1)", "Epoch →→", tooltip="On 10 % of the epochs", show=False),
    Binding("left_curly_bracket", "replay_first", "Start", tooltip="The first checkpoint: before training", show=False),
    Binding("right_curly_bracket", "replay_live", "Live", tooltip="Back to live: the network as trained", show=False),
    Binding("plus", "play_speed(1)", "Faster", tooltip="Play faster (1 to 64 checkpoints a second)", show=False),
    Binding("minus", "play_speed(-1)", "Slower", tooltip="Play slower", show=False),
]
