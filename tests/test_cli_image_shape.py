"""``--image-shape H,W``: a CSV table's features read as images of H rows and W columns
(for shapes that are not square, or to override the square a feature count makes), for
``train``, its snapshot and the app; kept in the parameter file, so a loaded network
draws the same way."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.cli import app_start, build_parser, main
from tui_mlp.core import MLP
from tui_mlp.core.errors import ParamsError
from tui_mlp.core.params import load_params, save_params

FLAT = ["--target", "label", "--seed", "0"]


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """A table of 16 pixel columns and a label: 16 is a square (4×4) unless a shape says otherwise."""
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 5, (40, 16))
    lines = [",".join([f"p{i}" for i in range(16)] + ["label"])]
    lines += [",".join(map(str, row)) + f",{'ab'[i % 2]}" for i, row in enumerate(pixels)]
    path = tmp_path / "pixels.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def striped(tmp_path: Path) -> Path:
    """A 16-2-2 network whose h1 looks at the top row of a 2×8 image (+1), and h2 at the top row
    against the bottom one (-1 and +0.5): each draws as two rows of eight shades."""
    model = MLP([16, 2, 2], seed=0, output_activation="softmax", loss="cross_entropy")
    model.weights[0][...] = 0.0
    model.weights[0][:8, 0] = 1.0
    model.weights[0][:8, 1], model.weights[0][8:, 1] = -1.0, 0.5
    model.biases[0][...] = 0.0
    path = tmp_path / "striped.json"
    save_params(path, model, {"seed": 0})
    return path


def weight_images(snapshot: Path) -> list[str]:
    """The weight-image panel of a text snapshot: the lines under its title, from its column."""
    lines = snapshot.read_text().splitlines()
    top = next(i for i, line in enumerate(lines) if "Weights as images" in line)
    column = lines[top].index("Weights as images")
    return [line[column:].rstrip() for line in lines[top + 1 : top + 5]]


def refusal(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """The one stderr line of a command line that is refused with exit status 2."""
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    assert status == 2, (status, err)
    assert "Traceback" not in out + err and err.count("\n") == 1, err
    return err.strip()


@pytest.mark.parametrize("command", [["train"], ["explain"], []])
def test_the_flag_reads_rows_and_columns(command: list[str]) -> None:
    assert build_parser().parse_args([*command, "--image-shape", " 2, 8"]).image_shape == (2, 8)
    assert build_parser().parse_args(command).image_shape is None


def test_a_snapshot_draws_a_2x8_table_as_2x8_images(
    table: Path, striped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "s.txt"
    flags = ["--load", str(striped), "--data", str(table), *FLAT, "--epochs", "0", "--snapshot", str(snapshot)]
    assert main(["train", *flags, "--image-shape", "2,8"]) == 0
    assert weight_images(snapshot) == [
        "@@@@@@@@ @@@@@@@@",
        "         ========",
        "h1       h2",
        "# positive  # negative  brighter = larger |w|, one scale: ±1",
    ]
    assert main(["train", *flags]) == 0  # without it, 16 pixels are a square: 4×4
    assert weight_images(snapshot) == ["@@@@ @@@@", "@@@@ @@@@", "     ====", "     ===="]
    capsys.readouterr()


def test_the_shape_is_saved_and_a_loaded_network_draws_the_same_way(
    table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved, snapshot = tmp_path / "p.json", tmp_path / "s.txt"
    data = ["--data", str(table), *FLAT]
    assert main(["train", *data, "--hidden", "3", "--epochs", "2", "--image-shape", "2,8", "--save", str(saved)]) == 0
    assert json.loads(saved.read_text())["training"]["image_shape"] == [2, 8]
    assert main(["train", "--load", str(saved), *data, "--epochs", "0", "--snapshot", str(snapshot)]) == 0
    assert weight_images(snapshot)[2] == "h1       h2       h3"  # tiles 8 wide, not 4
    args = build_parser().parse_args(["--load", str(saved), *data])
    start = app_start(args, build_parser())
    assert start.loaded is not None and start.loaded.data(start.settings.data).image_shape == (2, 8)
    capsys.readouterr()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--image-shape", "2"], "argument --image-shape: image shape '2' is not rows,columns such as 28,28"),
        (["--image-shape", "2,8,1"], "image shape '2,8,1' is not rows,columns such as 28,28"),
        (["--image-shape", "0,16"], "argument --image-shape: image side 0 is outside 1 to 10,000"),
        (["--image-shape", "2,-8"], "image side -8 is outside 1 to 10,000"),
        (["--image-shape", "200,200"], "image shape 200,200 has 40,000 pixels, more than 10,000"),
        (["--image-shape", "3,5"], "tui-mlp: --image-shape 3,5 is 15 pixels, but TABLE has 16 features"),
        (["--image-shape", "4,16", "--dataset", "digits"], "TABLE has 16 features"),
    ],
)
@pytest.mark.parametrize("command", [["train"], []])
def test_a_bad_shape_is_refused_in_one_line(
    table: Path, flags: list[str], message: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = refusal(capsys, [*command, "--data", str(table), *FLAT, *flags, "--epochs", "1"])
    assert message.replace("TABLE", str(table)) in err


@pytest.mark.parametrize("command", [["train"], []])
def test_a_built_in_dataset_takes_a_shape_only_if_it_is_an_image(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = refusal(capsys, [*command, "--dataset", "moons", "--image-shape", "1,2"])
    assert err.endswith(
        "error: --image-shape applies to CSV tables and digits; dataset 'moons' is not an image "
        f"(see tui-mlp{' train' if command else ''} --help)"
    )
    err = refusal(capsys, [*command, "--dataset", "digits", "--image-shape", "4,8", "--epochs", "1"])
    assert err == "tui-mlp: --image-shape 4,8 is 32 pixels, but digits has 64 features"
    assert main(["train", "--dataset", "digits", "--image-shape", "4,16", "--epochs", "0", "--seed", "0"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("shape", "message"),
    [([2, 7], "[2, 7] is not an image of the network's 16 inputs"), ([2, "8"], "expected [rows, columns]")],
)
def test_a_parameter_file_with_a_bad_shape_is_refused(tmp_path: Path, shape: list[object], message: str) -> None:
    path = tmp_path / "p.json"
    save_params(path, MLP([16, 2, 1], seed=0), {"image_shape": shape})
    with pytest.raises(ParamsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_params(path)
