"""The command line: ``tui-mlp`` (the app), ``tui-mlp train`` (headless),
``tui-mlp explain`` (one backprop step on paper), ``tui-mlp datasets`` and ``tui-mlp serve``.

Reading the flags needs no NumPy: the commands load the engine where they use it, so the
app draws its first screen before NumPy is loaded (see ``app.app``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .core.choices import DATASET_NAMES, DTYPES, HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS
from .core.echo import counted
from .core.errors import DataError, ParamsError
from .core.files import check_output_path, same_file
from .core.metrics import class_names, format_loss, format_scores, format_seed_loss
from .core.parse import (
    parse_activation,
    parse_auto_learning_rate,
    parse_batch_size,
    parse_columns,
    parse_epochs,
    parse_hidden,
    parse_image_shape,
    parse_momentum,
    parse_noise,
    parse_port,
    parse_sample,
    parse_samples,
    parse_seed,
    parse_sessions,
    parse_step,
    parse_test_split,
    parse_weight_decay,
    parse_width,
)
from .core.specs import (
    AUTO,
    AUTO_EPOCHS_RULE,
    AUTO_OPTIMIZER_RULE,
    AUTO_RATE_RULE,
    DEFAULT_TEST_SPLIT,
    DataSpec,
    Settings,
    TrainingSpec,
)
from .stop_signals import Interrupted, StopSignals
from .version import __version__

if TYPE_CHECKING:
    import numpy as np

    from .app.live import LiveRun
    from .core import MLP, TrainResult
    from .core.run import Loaded, Run
    from .core.trainer import Progress

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a command killed by it would end
EXIT_SECONDS = 3.0  # how long the process may take to end once the command is done
TRAINING, DATA = TrainingSpec(), DataSpec()  # the defaults
STOP = StopSignals()  # what SIGINT, SIGTERM and SIGHUP do in `tui-mlp train`
PRINTED = 8  # rows and columns of each matrix, values of each vector, that `train` prints
CONFUSION_WIDTH = 80  # the confusion matrix `train` prints fits this many columns


class _Commands(argparse._SubParsersAction):
    """Subcommands that remember the words from the command on, so that the options
    written before the command can be told from its own."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, *rest: Any) -> None:
        namespace.command_words = list(values)
        super().__call__(parser, namespace, values, *rest)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # "--epochs=--": argparse drops the "--" and hands over an empty list, unchecked; check it as a value
        if action.nargs is None and arg_strings == ["--"]:
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)


def _flag_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Turn a settings parser's ValueError into argparse's one-line error."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parse.__name__.removeprefix("parse_")
    return convert


def _add_snapshot_flags(group: argparse._ArgumentGroup, width: str, default: int) -> None:
    """--snapshot FILE and --width, whose default is ``default`` columns."""
    group.add_argument("--snapshot", metavar="FILE", help="write a text snapshot (.txt, .ansi, .svg, .html)")
    group.add_argument(
        "--width",
        type=_flag_type(parse_width),
        default=default,
        help=f"{width}: 40 to 1000 columns (default {default})",
    )


def _add_training_flags(parser: argparse.ArgumentParser) -> None:
    """The flags that describe a network, its training and its data (app, ``train``, ``explain``)."""
    _add_network_flags(parser.add_argument_group("network"))
    _add_fit_flags(parser.add_argument_group("training"))
    _add_data_flags(parser.add_argument_group("data"))
    parser.add_argument("--ascii", action="store_true", help="draw with 7-bit ASCII characters only")


def _add_network_flags(net: argparse._ArgumentGroup) -> None:
    """Its sizes, activations, loss, seed, or a saved network to start from."""
    sizes = net.add_mutually_exclusive_group()
    sizes.add_argument(
        "--hidden",
        type=_flag_type(parse_hidden),
        metavar="N",
        help=f"hidden layer size (default {TRAINING.hidden[0]}); 8,4 gives two hidden layers",
    )
    sizes.add_argument("--layers", type=_flag_type(parse_hidden), metavar="N,M", help="hidden layer sizes, e.g. 8,4")
    net.add_argument(
        "--activation",
        type=_flag_type(parse_activation),
        default=TRAINING.activation,
        metavar="NAME",
        help=f"hidden activation: {', '.join(HIDDEN_ACTIVATIONS)} (default %(default)s)",
    )
    net.add_argument("--output", choices=(AUTO, *OUTPUT_ACTIVATIONS), default=TRAINING.output, help="output activation")
    net.add_argument("--loss", choices=(AUTO, *LOSSES), default=TRAINING.loss, help="loss; sse is ½·Σ(ŷ−y)²")
    net.add_argument(
        "--dtype",
        choices=DTYPES,
        default=TRAINING.dtype,
        help="number type of the network and its training (default %(default)s; --load's float32 stays float32)",
    )
    net.add_argument(
        "--seed", type=_flag_type(parse_seed), metavar="S", help="random seed (repeatable runs) or random (the default)"
    )
    net.add_argument("--load", metavar="FILE", help="start from a saved parameter file")


def _add_fit_flags(fit: argparse._ArgumentGroup) -> None:
    """Epochs, learning rate, optimizer, batches, weight decay."""
    fit.add_argument(
        "--epochs",
        type=_flag_type(parse_epochs),
        default=TRAINING.epochs,
        help=f"default: {AUTO_EPOCHS_RULE}; 0 evaluates the network without training it",
    )
    fit.add_argument(
        "--lr",
        type=_flag_type(parse_auto_learning_rate),
        default=TRAINING.learning_rate,
        metavar="RATE",
        help=f"learning rate (default auto: {AUTO_RATE_RULE})",
    )
    fit.add_argument(
        "--optimizer",
        choices=(AUTO, *OPTIMIZERS),
        default=TRAINING.optimizer,
        help=f"gd (the seed's), momentum or adam (default auto: {AUTO_OPTIMIZER_RULE})",
    )
    fit.add_argument("--momentum", type=_flag_type(parse_momentum), default=TRAINING.momentum, metavar="M")
    fit.add_argument(
        "--batch-size", type=_flag_type(parse_batch_size), metavar="N", help="mini-batch size, or full (the default)"
    )
    fit.add_argument("--weight-decay", type=_flag_type(parse_weight_decay), default=TRAINING.weight_decay, metavar="L2")


def _add_data_flags(data: argparse._ArgumentGroup) -> None:
    """A built-in dataset (its size and noise) or a CSV table, and the test split."""
    data.add_argument("--dataset", choices=list(DATASET_NAMES), default=DATA.dataset, help="built-in dataset")
    data.add_argument("--samples", type=_flag_type(parse_samples), metavar="N", help="generated datasets: samples")
    data.add_argument("--noise", type=_flag_type(parse_noise), metavar="X", help="generated datasets: noise level")
    data.add_argument("--data", metavar="FILE.csv", help="train on a CSV table (header row required)")
    data.add_argument("--target", type=_flag_type(parse_columns), metavar="COLUMN", help="--data's target column(s)")
    data.add_argument(
        "--image-shape",
        type=_flag_type(parse_image_shape),
        metavar="H,W",
        help="--data's features are an image of H rows and W columns of pixels, row by row "
        "(default: a square from 4,4 when the feature count is one)",
    )
    data.add_argument(
        "--test-split",
        type=_flag_type(parse_test_split),
        metavar="F",
        help=f"held-out fraction (default {DEFAULT_TEST_SPLIT})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tui-mlp",
        description="Build, train and watch a small neural network in the terminal.",
        epilog="example: tui-mlp --hidden 8 --seed 3   (open the app with the fields filled in)",
    )
    parser.add_argument("--version", action="version", version=f"tui-mlp {__version__}")
    _add_training_flags(parser)
    parser.add_argument(
        "--files", metavar="DIR", help="keep the app's save, load and export inside DIR (relative paths only)"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="{train,explain,datasets,serve}", parser_class=_Parser, action=_Commands
    )
    _add_train_command(commands)
    _add_explain_command(commands)
    commands.add_parser(
        "datasets",
        help="list the built-in datasets",
        description="List the built-in datasets with their shapes.",
        epilog="example: tui-mlp datasets",
    )
    _add_serve_command(commands)
    return parser


def _add_train_command(commands: Any) -> None:
    """``tui-mlp train``: the training flags, then where its output goes."""
    trainer = commands.add_parser(
        "train",
        help="train headless and print the result",
        description="Train a network without the app: progress, weights before and after, final loss.",
        epilog="example: tui-mlp train --hidden 5 --epochs 10000 --lr 0.1 --seed 0 --save params.json\n"
        "         tui-mlp train --data iris.csv --target species --hidden 8 --optimizer adam --lr 0.01",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_training_flags(trainer)
    trainer.set_defaults(command_parser=trainer)  # so its errors point at `tui-mlp train --help`
    out = trainer.add_argument_group("output")
    out.add_argument("--save", metavar="FILE", help="write the trained parameters to FILE (JSON)")
    out.add_argument(
        "--history",
        metavar="FILE",
        help="write the run with its checkpoints to FILE.json (to replay), or its loss curves to FILE.csv",
    )
    _add_snapshot_flags(out, "snapshot width", 160)
    out.add_argument(
        "--epoch",
        type=_flag_type(parse_epochs),
        metavar="N",
        help="--snapshot draws the checkpoint nearest epoch N as After (default: the trained network)",
    )
    out.add_argument(
        "--all-weights",
        action="store_true",
        help=f"print every weight and bias (default: the first {PRINTED} rows and columns of each)",
    )


def _add_explain_command(commands: Any) -> None:
    """``tui-mlp explain``: the training flags, the sample and step, where its output goes."""
    explainer = commands.add_parser(
        "explain",
        help="print one backprop step as a worked example",
        description="Print one step of backpropagation on one training sample as a worked example on paper: "
        "the forward values, the loss, the deltas, the gradients and the updated weights, layer by layer, "
        "with their equations. The network and data flags are train's.",
        epilog="example: tui-mlp explain --hidden 5 --seed 0 --sample 1\n"
        "         tui-mlp explain --dataset xor --optimizer adam --lr 0.01 --step 100 --snapshot step.svg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_training_flags(explainer)
    explainer.set_defaults(command_parser=explainer, save=None)
    step = explainer.add_argument_group("the step")
    for flag, parse, metavar, meaning in (
        ("--sample", parse_sample, "N", "the training sample, from 1 (default 1)"),
        ("--step", parse_step, "K", "the step after K-1 epochs of training as train runs them (default 1: the first)"),
    ):
        step.add_argument(flag, type=_flag_type(parse), default=1, metavar=metavar, help=meaning)
    _add_snapshot_flags(explainer.add_argument_group("output"), "width", 100)


def _add_serve_command(commands: Any) -> None:
    """``tui-mlp serve``: where to listen, the files folder, how many browsers."""
    server = commands.add_parser(
        "serve",
        help="serve the app in a web browser",
        description="Serve the app to a web browser: open the address it prints (with its token). "
        "Options before 'serve' go to the app: tui-mlp --dataset moons --hidden 8 serve",
        epilog="example: tui-mlp serve --port 8000 --files ~/nets",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    server.add_argument("--port", type=_flag_type(parse_port), default=8000, help="port (default %(default)s)")
    server.add_argument(
        "--files",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the folder the app may save to and load from (default: this one)",
    )
    server.add_argument(
        "--max-sessions", type=_flag_type(parse_sessions), default=4, metavar="N", help="browsers at once (default 4)"
    )
    server.add_argument(
        "--allow-remote", action="store_true", help="allow a --host other machines can reach (no encryption)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:
        return app_command(args, parser)
    before = argv[: len(argv) - len(args.command_words)]  # the app's options, written before the command
    if args.command in ("train", "explain"):
        if before:  # `tui-mlp --hidden 8 train` is `tui-mlp train --hidden 8`
            args = parser.parse_args([args.command, *before, *args.command_words[1:]])
        return _headless(args, train_command if args.command == "train" else explain_command)
    if args.command == "datasets":
        if before:
            parser.error(f"'datasets' takes no options; {before[0]} does not apply to it")
        return datasets_command()
    return serve_command(args, parser, before)


def _fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"tui-mlp: {message}", file=sys.stderr)
    return status


def specs_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> tuple[TrainingSpec, DataSpec]:
    """The training and data settings the flags describe; flag conflicts exit 2."""
    if args.load and (args.hidden or args.layers):
        parser.error("--load takes the network's sizes from the file; drop --hidden/--layers")
    if bool(args.data) != bool(args.target):
        parser.error("--data and --target go together: --data FILE.csv --target COLUMN")
    if args.output != AUTO and args.loss != AUTO:
        from .core.losses import get_loss

        try:
            get_loss(args.loss, args.output)
        except ValueError as error:
            parser.error(f"argument --loss: {error}")
    training = TrainingSpec(
        hidden=args.layers or args.hidden or TRAINING.hidden,
        activation=args.activation,
        output=args.output,
        loss=args.loss,
        epochs=args.epochs,
        learning_rate=args.lr,
        optimizer=args.optimizer,
        momentum=args.momentum,
        batch_size=args.batch_size,
        weight_decay=args.weight_decay,
        dtype=args.dtype,
    )
    data = DataSpec(
        args.dataset, args.data, args.target or (), args.samples, args.noise, args.test_split, args.image_shape
    )
    if refusal := data.image_refusal():
        parser.error(f"--image-shape {refusal}")
    return training, data


def build_run(args: argparse.Namespace, training: TrainingSpec, data: DataSpec) -> Run:
    """The run the flags describe: ``--load``'s network or a new one from ``--seed``
    (ValueError, DataError or ParamsError otherwise, and ValueError if training it
    would need more memory than there is)."""
    from .core.run import Loaded, Run, SizeError

    loaded = Loaded.read(args.load) if args.load else None
    try:
        run = Run.create(training, data, args.seed, loaded)
    except SizeError as error:
        raise ValueError(f"argument {'--layers' if args.layers else '--hidden'}: {error}") from None
    run.require_memory()
    return run


def train_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .core.trainer import StopReason

    training, data = specs_from(args, parser)
    _check_outputs(args, parser)
    try:
        run = build_run(args, training, data)
    except (ParamsError, DataError) as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    model, training = run.model, run.training
    sizes = "-".join(map(str, model.layer_sizes))
    test = f", {len(run.test.X)} held out for testing" if run.test else ""
    print(
        f"Network {sizes} ({model.activation} hidden, {model.output_activation} output, loss {model.loss_name}); "
        f"data {data.label} ({counted(len(run.train.X), 'training sample')}{test}); "
        f"{counted(training.epochs, 'epoch')} of "
        f"{training.optimizer} at learning rate {training.learning_rate:g}"
        f"{'' if training.dtype == TRAINING.dtype else f' in {training.dtype}'}; seed {run.seed}"
    )
    limit = None if args.all_weights else PRINTED
    print(format_parameters("Initial", model, limit=limit))
    result = _train_with_progress(run)
    print(format_parameters("Final", model, limit=limit))
    print(f"Stopped: {result.describe()} in {result.elapsed:.2f} s")
    for line in format_scores(run.scores()):
        print(line)
    _print_confusion(run)
    if stuck := run.stuck():
        print(f"Warning: {stuck}")
    status = 0
    if args.save is not None:
        status = _save(args.save, run)
    if args.snapshot is not None:  # written for a failed run too: it shows how it failed
        status = _write_snapshot(args, run) or status
    if args.history is not None:
        status = _write_history(args.history, run) or status
    print(f"End of Training - Total Error (Loss): {format_seed_loss(run.final_loss)}")
    if result.reason is StopReason.CANCELLED:
        return EXIT_INTERRUPTED
    if result.reason is StopReason.DIVERGED:
        return _fail(f"training {result.describe()}; try a smaller --lr")
    return status


def _print_confusion(run: Run) -> None:
    """The test split's confusion matrix, for classification, as a table of ``CONFUSION_WIDTH`` columns."""
    matrix = run.confusion()
    if matrix is not None:
        from .render.confusion import confusion_table
        from .render.text import render_text

        print(render_text(confusion_table(matrix, class_names(run.test), CONFUSION_WIDTH), CONFUSION_WIDTH), end="")


def explain_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``tui-mlp explain``: one backprop step of the run the flags describe, on paper."""
    from .render.explain import caption, explanation
    from .render.snapshot import SnapshotError, write_renderable
    from .render.text import render_text

    training, data = specs_from(args, parser)
    _check_outputs(args, parser)
    try:
        run = build_run(args, training, data)
        trace, optimizer = run.trace(args.sample - 1, args.step)
    except (ParamsError, DataError) as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    described = caption(run, args.sample - 1, args.step)
    worked = explanation(run.before, trace, optimizer, described, args.width, ascii=args.ascii)
    print(render_text(worked, args.width), end="")
    if args.snapshot is not None:
        try:
            print(f"Wrote snapshot to {write_renderable(args.snapshot, lambda _: worked, args.width)}")
        except SnapshotError as error:
            return _fail(str(error))
    return 0


def _check_outputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """--save and --snapshot name files that can be written: checked before
    anything is loaded or trained; one line and exit status 2 otherwise."""
    history = getattr(args, "history", None)  # (train's flags)
    outputs = {"--save": (args.save, None), "--history": (history, (".json", ".csv"))}
    if getattr(args, "epoch", None) is not None and args.snapshot is None:
        parser.error("--epoch says which checkpoint --snapshot draws; give --snapshot too")
    if args.snapshot is not None:
        from .render.snapshot import FORMATS

        outputs["--snapshot"] = (args.snapshot, FORMATS)
    for flag, (text, suffixes) in outputs.items():
        if text is not None:
            try:
                check_output_path(text, suffixes)
            except ValueError as error:
                parser.error(f"argument {flag}: {error}")
    files = {"--save": args.save, "--snapshot": args.snapshot, "--data": args.data, "--load": args.load}
    files["--history"] = history
    clashes = [("--save", "--snapshot"), ("--save", "--data"), ("--snapshot", "--data"), ("--snapshot", "--load")]
    clashes += [("--history", other) for other in ("--save", "--snapshot", "--data", "--load")]
    for output, other in clashes:  # --save may replace --load's file: training on from it
        if files[output] is not None and files[other] is not None and same_file(files[output], files[other]):
            parser.error(f"{output} and {other} name the same file; writing it would replace the other")


def _save(path: str, run: Run) -> int:
    """Write the trained parameters to ``path``, unless training diverged or was
    cancelled before its first epoch (the file keeps what it had); the exit status.
    A run of 0 epochs (an evaluation) saves the network as it is."""
    from .core.params import save_params
    from .core.trainer import StopReason

    result = run.result
    assert result is not None
    if result.reason is StopReason.DIVERGED or (result.reason is StopReason.CANCELLED and result.epochs_run == 0):
        why = "diverged" if result.reason is StopReason.DIVERGED else "was cancelled before its first epoch"
        print(f"Not saved: training {why}; {path} is unchanged")
        return 0
    try:
        saved = save_params(path, run.model, run.record())
    except ParamsError as error:
        return _fail(str(error))
    print(f"Saved parameters to {saved}")
    return 0


def _write_history(path: str, run: Run) -> int:
    """Write the run with its checkpoints (.json) or its loss curves (.csv) to ``path``; the exit status."""
    from .core.files import atomic_write, describe_os_error
    from .core.history_file import curves_csv, save_history

    try:
        csv = path.lower().endswith(".csv")
        written = atomic_write(path, curves_csv(run)) if csv else save_history(path, run)
    except ParamsError as error:
        return _fail(str(error))
    except (OSError, ValueError) as error:
        return _fail(f"cannot write {describe_os_error(path, error)}")
    print(f"Wrote the run's history to {written}")
    return 0


def _write_snapshot(args: argparse.Namespace, run: Run) -> int:
    from .render.snapshot import SnapshotError, View, write_snapshot

    assert run.result is not None and run.history is not None
    after, view = run.model, View()
    if args.epoch is not None and len(run.history):
        index = run.history.nearest(args.epoch)
        after, view = run.checkpoint(index), View(replay=run.history.epochs[index])
    settings = run.summary(trained=after)
    if view.replay is not None:
        settings["replay"] = f"After shows epoch {view.replay:,}, the checkpoint nearest {args.epoch:,}"
    try:
        path = write_snapshot(
            args.snapshot,
            run.before,
            after,
            run.result.losses,
            settings,
            width=args.width,
            ascii=args.ascii,
            data=(run.train, run.test),
            view=view,
            test=run.test_curve(),
        )
    except SnapshotError as error:
        return _fail(str(error))
    print(f"Wrote snapshot to {path}")
    return 0


def _train_with_progress(run: Run) -> TrainResult:
    from .core import TrainControl

    control = TrainControl()
    epochs = run.training.epochs
    with STOP.cancelling(control), _progress_reporter(epochs) as report:
        return run.fit(
            control=control,
            on_progress=report,
            progress_every=max(1, epochs // 10),
            progress_seconds=0.1 if sys.stdout.isatty() else 2.0,
        )


def _headless(args: argparse.Namespace, command: Callable[[argparse.Namespace, argparse.ArgumentParser], int]) -> int:
    """``tui-mlp train`` or ``explain``, ended by a stop signal or by running out of memory with one line,
    not a traceback."""
    from .core.memory import ADVICE  # (imported before memory can run out)

    try:
        with STOP.installed():
            status = command(args, args.command_parser)
    except Interrupted as stop:
        return _fail("interrupted", stop.status)
    except MemoryError:
        return _fail(f"ran out of memory ({ADVICE})")
    if status == EXIT_INTERRUPTED and STOP.cancelled_by is not None:
        return 128 + STOP.cancelled_by  # 143 after SIGTERM, 129 after SIGHUP
    return status


@contextlib.contextmanager
def _progress_reporter(epochs: int) -> Iterator[Callable[[Progress], None]]:
    """A Rich progress bar on a terminal; plain periodic lines otherwise."""
    if not sys.stdout.isatty():
        yield lambda p: print(f"epoch {p.epoch:,}/{p.epochs:,}  loss {format_loss(p.loss)}", flush=True)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("training"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("train", total=epochs, loss="…")
        yield lambda p: bar.update(task, completed=p.epoch, loss=format_loss(p.loss))


def format_parameters(when: str, model: MLP, *, limit: int | None = PRINTED) -> str:
    """Every weight matrix and bias vector as the seed script printed them (NumPy's format),
    each cut to its first ``limit`` rows and columns (None: all of it) with a line saying
    how many more there are; the same rule for every size."""
    import numpy as np

    names = [f"hidden layer {i + 1}" for i in range(model.n_layers - 1)] + ["output layer"]
    lines = [f"{when} weights and biases:"]
    cut = False
    with np.printoptions(precision=6, suppress=True, floatmode="fixed", linewidth=100, threshold=sys.maxsize):
        for name, w, b in zip(names, model.weights, model.biases):
            lines.append(f"  weights into {name} ({w.shape[0]}×{w.shape[1]}):")
            lines += _printed(w, ("rows", "columns"), limit)
            lines.append(f"  biases of {name}:")
            lines += _printed(b, ("values",), limit)
            cut = cut or (limit is not None and max(w.shape) > limit)
    if cut:
        lines.append("  (--all-weights prints every weight)")
    return "\n".join(lines)


def _printed(values: np.ndarray, axes: tuple[str, ...], limit: int | None) -> list[str]:
    """``values`` cut to ``limit`` along each axis, indented, and ``… 292 more columns``."""
    if limit is None:
        return ["    " + line for line in str(values).splitlines()]
    lines = ["    " + line for line in str(values[(slice(limit),) * values.ndim]).splitlines()]
    more = [f"{size - limit:,} more {axis}" for size, axis in zip(values.shape, axes) if size > limit]
    return lines + ([f"    … {' and '.join(more)}"] if more else [])


@dataclass(frozen=True)
class AppStart:
    """What the app opens with: the fields' settings, the network it loads, its files folder."""

    settings: Settings
    loaded: Loaded | None
    files: Path | None
    replayed: LiveRun | None = None  # a history file's run, to replay


def app_start(args: argparse.Namespace, parser: argparse.ArgumentParser) -> AppStart:
    """What the flags open the app with, ``--load``'s file and ``--data``'s table checked
    (ParamsError, DataError or ValueError otherwise, so nothing bad waits inside the app)."""
    training, data = specs_from(args, parser)
    loaded = None
    if args.load:
        from .core.history_file import is_history, load_history
        from .core.run import Loaded

        if is_history(args.load):
            from .app.live import LiveRun

            run = load_history(args.load).run(args.load, LiveRun)
            return AppStart(Settings(run.training, run.data, run.seed), None, _files(args, parser), run)
        loaded = Loaded.read(args.load)
    if data.csv_file or data.image_shape:  # (a shape is checked against the data's features)
        (loaded.data(data) if loaded else data).prepare(0, loaded.scaling if loaded else None)
    return AppStart(Settings(training, data, args.seed), loaded, _files(args, parser))


def _files(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Path | None:
    """--files' folder (checked), if given."""
    files = Path(args.files) if args.files is not None else None
    if files is not None and not files.is_dir():
        parser.error(f"argument --files: {args.files} is not a folder")
    return files


def _refuse_start(error: Exception) -> int:
    """Why the app cannot start, in one line: exit status 2 for a setting that does not suit the
    data (a ValueError, as ``train`` says), 1 for a file that cannot be used."""
    return _fail(str(error), EXIT_BAD_INPUT if isinstance(error, ValueError) else EXIT_FAILED)


def app_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .app import MLPApp

    try:
        start = app_start(args, parser)
    except (ParamsError, DataError, ValueError) as error:
        return _refuse_start(error)
    app = MLPApp(start.settings, start.loaded, ascii=args.ascii, files=start.files, replayed=start.replayed)
    app.run()
    return app.return_code or 0


def datasets_command() -> int:
    """Print the built-in datasets: name, shapes, task, description."""
    from .core.datasets import load_dataset

    for name in DATASET_NAMES:
        data = load_dataset(name, seed=0)
        shape = f"{len(data.X)}×{data.n_inputs} → {data.n_outputs}"
        print(f"{name:<10} {shape:<14} {data.task:<11} {data.description}")
    return 0


def serve_command(args: argparse.Namespace, parser: argparse.ArgumentParser, app_args: list[str]) -> int:
    """Serve the app, with the options written before ``serve``, to the browser that has the token."""
    from .app.serve import ServeError, ServeOptions, is_loopback, serve

    if not is_loopback(args.host) and not args.allow_remote:
        parser.error(f"--host {args.host} can be reached from other machines; add --allow-remote to serve there")
    try:
        app_start(args, parser)  # bad app options are refused here, not in every browser
    except (ParamsError, DataError, ValueError) as error:
        return _refuse_start(error)
    if not is_loopback(args.host):
        print(
            f"Warning: serving on {args.host} without encryption: anyone on the network who has the address "
            "(with its token) can use the app and the files it may write.",
            file=sys.stderr,
        )
    options = ServeOptions(args.host, args.port, Path(args.files or "."), args.max_sessions, tuple(app_args))
    try:
        serve(options)
    except ServeError as error:
        return _fail(str(error))
    return 0


def entry() -> None:
    """Console-script entry point."""
    try:
        status = main()
    except KeyboardInterrupt:  # Ctrl-C outside ``tui-mlp train``'s own handling (while starting, say)
        status = _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:  # `tui-mlp train | head`: the reader has had all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (the exit's flush must not fail again)
        status = EXIT_BROKEN_PIPE
    # The interpreter's shutdown joins the app's training thread, which ends at its next epoch (seconds,
    # for a big network): the command has finished, so it may not keep the process alive for long.
    deadline = threading.Timer(EXIT_SECONDS, os._exit, (status,))
    deadline.daemon = True
    deadline.start()
    sys.exit(status)
