"""The command line: ``tui-mlp`` (the app), ``tui-mlp train`` (headless) and ``tui-mlp serve``."""

from __future__ import annotations

import argparse
import contextlib
import secrets
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn

import numpy as np

from . import __version__
from .core import MLP, TrainControl, TrainResult, train
from .core.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .core.datasets import DATASETS, Dataset, load_dataset
from .core.losses import LOSSES
from .core.params import ParamsError, load_params, save_params
from .core.settings import (
    DEFAULT_ACTIVATION,
    DEFAULT_DATASET,
    DEFAULT_EPOCHS,
    DEFAULT_HIDDEN,
    DEFAULT_LEARNING_RATE,
    parse_activation,
    parse_epochs,
    parse_hidden,
    parse_learning_rate,
    parse_seed,
)
from .core.trainer import Progress, StopReason

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _flag_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Turn a settings parser's ValueError into argparse's one-line error."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parse.__name__.removeprefix("parse_")
    return convert


def _add_training_flags(parser: argparse.ArgumentParser) -> None:
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument(
        "--hidden",
        type=_flag_type(parse_hidden),
        metavar="N",
        help=f"hidden layer size (default {DEFAULT_HIDDEN[0]}); 8,4 gives two hidden layers",
    )
    sizes.add_argument("--layers", type=_flag_type(parse_hidden), metavar="N,M", help="hidden layer sizes, e.g. 8,4")
    parser.add_argument("--epochs", type=_flag_type(parse_epochs), default=DEFAULT_EPOCHS, help="default %(default)s")
    parser.add_argument(
        "--lr",
        type=_flag_type(parse_learning_rate),
        default=DEFAULT_LEARNING_RATE,
        metavar="RATE",
        help="learning rate (default %(default)s)",
    )
    parser.add_argument(
        "--activation",
        type=_flag_type(parse_activation),
        default=DEFAULT_ACTIVATION,
        metavar="NAME",
        help=f"hidden activation: {', '.join(HIDDEN_ACTIVATIONS)} (default %(default)s)",
    )
    parser.add_argument(
        "--dataset",
        choices=sorted(DATASETS),
        default=DEFAULT_DATASET,
        help="built-in dataset (default %(default)s)",
    )
    parser.add_argument("--seed", type=_flag_type(parse_seed), metavar="S", help="random seed (repeatable runs)")
    parser.add_argument("--load", metavar="FILE", help="start from a saved parameter file")
    parser.add_argument("--ascii", action="store_true", help="draw with 7-bit ASCII characters only")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tui-mlp",
        description="Build, train and watch a small neural network in the terminal.",
        epilog="example: tui-mlp --hidden 8 --seed 3   (open the app with the fields filled in)",
    )
    parser.add_argument("--version", action="version", version=f"tui-mlp {__version__}")
    _add_training_flags(parser)
    commands = parser.add_subparsers(dest="command", metavar="{train,serve}", parser_class=_Parser)
    trainer = commands.add_parser(
        "train",
        help="train headless and print the result",
        description="Train a network without the app: progress, weights before and after, final loss.",
        epilog="example: tui-mlp train --hidden 5 --epochs 10000 --lr 0.1 --seed 0 --save params.json",
    )
    _add_training_flags(trainer)
    trainer.add_argument(
        "--output", choices=OUTPUT_ACTIVATIONS, default="sigmoid", help="output activation (default %(default)s)"
    )
    trainer.add_argument("--loss", choices=LOSSES, default="sse", help="training loss (default %(default)s: ½·Σ(ŷ−y)²)")
    trainer.add_argument("--save", metavar="FILE", help="write the trained parameters to FILE (JSON)")
    trainer.add_argument("--snapshot", metavar="FILE", help="write a text snapshot (.txt, .ansi, .svg, .html)")
    trainer.add_argument("--width", type=int, default=160, help="snapshot width in columns (default %(default)s)")
    server = commands.add_parser(
        "serve",
        help="serve the app in a web browser",
        description="Serve the app to web browsers with textual-serve.",
        epilog="example: tui-mlp serve --port 8000   (then open http://127.0.0.1:8000)",
    )
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    server.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "train":
        return run_train(args, parser)
    if args.command == "serve":
        return run_serve(args)
    return run_app(args, parser)


def _hidden(args: argparse.Namespace) -> tuple[int, ...]:
    return args.layers or args.hidden or DEFAULT_HIDDEN


def _fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"tui-mlp: {message}", file=sys.stderr)
    return status


def prepare(args: argparse.Namespace) -> tuple[MLP, Dataset, int | None]:
    """The network and data that the flags describe (ValueError or ParamsError otherwise)."""
    dataset = load_dataset(args.dataset, args.seed)
    if args.load:
        model, _ = load_params(args.load)
        expected = (dataset.n_inputs, dataset.n_outputs)
        if (model.layer_sizes[0], model.layer_sizes[-1]) != expected:
            raise ParamsError(
                f"{args.load}: network {'-'.join(map(str, model.layer_sizes))} does not fit dataset "
                f"{dataset.name!r} ({expected[0]} inputs, {expected[1]} outputs)"
            )
        return model, dataset, args.seed
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    sizes = (dataset.n_inputs, *_hidden(args), dataset.n_outputs)
    extra = {"output_activation": args.output, "loss": args.loss} if args.command == "train" else {}
    return MLP(sizes, args.activation, seed=seed, **extra), dataset, seed


def run_train(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.load and (args.hidden or args.layers):
        parser.error("--load takes the network's sizes from the file; drop --hidden/--layers")
    if args.width < 40:
        parser.error(f"argument --width: {args.width} is narrower than the minimum of 40")
    try:
        model, dataset, seed = prepare(args)
    except ParamsError as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    before = model.copy()
    sizes = "-".join(map(str, model.layer_sizes))
    print(
        f"Network {sizes} ({model.activation} hidden, {model.output_activation} output, loss {model.loss_name}); "
        f"dataset {dataset.name} ({len(dataset.X)} samples); {args.epochs:,} epochs at learning rate {args.lr:g}; "
        f"seed {seed if seed is not None else 'from file'}"
    )
    print(format_parameters("Initial", model))
    result = _train_with_progress(model, dataset, args)
    print(format_parameters("Final", model))
    print(f"Stopped: {result.describe()} in {result.elapsed:.2f} s")
    status = 0
    if args.save:
        training = _training_record(args, dataset, seed, result)
        try:
            saved = save_params(args.save, model, training)
            print(f"Saved parameters to {saved}")
        except ParamsError as error:
            status = _fail(str(error))
    if args.snapshot:
        status = _write_snapshot(args, before, model, dataset, seed, result) or status
    print(f"End of Training - Total Error (Loss): {_six_decimals(result.final_loss)}")
    if result.reason is StopReason.CANCELLED:
        return EXIT_INTERRUPTED
    if result.reason is StopReason.DIVERGED:
        return _fail(f"training {result.describe()}; try a smaller --lr")
    return status


def _six_decimals(value: float) -> str:
    """The seed's six-decimal loss format, in scientific notation when huge."""
    return f"{value:.6f}" if abs(value) < 1e12 else f"{value:.6e}"


def _training_record(args: argparse.Namespace, dataset: Dataset, seed: int | None, result: TrainResult) -> dict:
    return {
        "dataset": dataset.name,
        "epochs": result.epochs_run,
        "learning_rate": args.lr,
        "seed": seed,
        "final_loss": result.final_loss,
        "stopped": result.reason.value,
    }


def _write_snapshot(
    args: argparse.Namespace, before: MLP, after: MLP, dataset: Dataset, seed: int | None, result: TrainResult
) -> int:
    from .render.snapshot import SnapshotError, write_snapshot

    settings = {
        "network": "-".join(map(str, after.layer_sizes)),
        "activation": f"{after.activation} hidden, {after.output_activation} output",
        "loss": after.loss_name,
        "dataset": dataset.name,
        "learning rate": f"{args.lr:g}",
        "epochs": f"{result.epochs_run:,} of {result.epochs:,}",
        "seed": str(seed),
        "stopped": result.describe(),
        "final loss": _six_decimals(result.final_loss),
    }
    try:
        path = write_snapshot(args.snapshot, before, after, result.losses, settings, width=args.width, ascii=args.ascii)
    except SnapshotError as error:
        return _fail(str(error))
    print(f"Wrote snapshot to {path}")
    return 0


def _train_with_progress(model: MLP, dataset: Dataset, args: argparse.Namespace) -> TrainResult:
    control = TrainControl()
    with _cancel_on_interrupt(control), _progress_reporter(args.epochs) as report:
        return train(
            model,
            dataset.X,
            dataset.y,
            args.epochs,
            args.lr,
            control=control,
            on_progress=report,
            progress_every=max(1, args.epochs // 10),
            progress_seconds=0.1 if sys.stdout.isatty() else 2.0,
        )


@contextlib.contextmanager
def _cancel_on_interrupt(control: TrainControl) -> Iterator[None]:
    """Ctrl-C (SIGINT) cancels training cleanly instead of raising mid-update."""
    previous = signal.signal(signal.SIGINT, lambda signum, frame: control.cancel())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _progress_reporter(epochs: int) -> Iterator[Callable[[Progress], None]]:
    """A Rich progress bar on a terminal; plain periodic lines otherwise."""
    if not sys.stdout.isatty():
        yield lambda p: print(f"epoch {p.epoch:,}/{p.epochs:,}  loss {p.loss:.6f}", flush=True)
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
        yield lambda p: bar.update(task, completed=p.epoch, loss=f"{p.loss:.6f}")


def format_parameters(when: str, model: MLP) -> str:
    """Every weight matrix and bias vector, as the seed script printed them."""
    names = [f"hidden layer {i + 1}" for i in range(model.n_layers - 1)] + ["output layer"]
    lines = [f"{when} weights and biases:"]
    with np.printoptions(precision=6, suppress=True, floatmode="fixed", linewidth=100):
        for name, w, b in zip(names, model.weights, model.biases):
            lines.append(f"  weights into {name} ({w.shape[0]}×{w.shape[1]}):")
            lines.extend("    " + line for line in str(w).splitlines())
            lines.append(f"  biases of {name}:")
            lines.append("    " + str(b))
    return "\n".join(lines)


def run_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .app import MLPApp

    model = None
    if args.load:
        try:
            model, _ = load_params(args.load)
        except ParamsError as error:
            return _fail(str(error))
    app = MLPApp(
        hidden=",".join(map(str, _hidden(args))),
        epochs=args.epochs,
        learning_rate=args.lr,
        activation=args.activation,
        dataset=args.dataset,
        seed=args.seed,
        model=model,
        ascii=args.ascii,
    )
    app.run()
    return app.return_code or 0


def run_serve(args: argparse.Namespace) -> int:
    from textual_serve.server import Server

    Server(f"{sys.executable} -m tui_mlp", host=args.host, port=args.port, title="tui-mlp").serve()
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
