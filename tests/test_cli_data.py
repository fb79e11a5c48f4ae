"""The command line with datasets, CSV data, test accuracy and optimizers:
``tui-mlp datasets``, ``tui-mlp train --data/--dataset ...``, the scaling
round trip through a parameter file, and the refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.cli import main
from tui_mlp.core.csvdata import load_csv
from tui_mlp.core.datasets import DATASETS, split
from tui_mlp.core.params import load_params

IRIS = str(Path(__file__).resolve().parent / "data" / "iris.csv")
END_LINE = "End of Training - Total Error (Loss): "
IRIS_FLAGS = ["--data", IRIS, "--target", "species", "--hidden", "8", "--optimizer", "adam", "--lr", "0.01"]


def lines_starting(output: str, prefix: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(prefix)]


def run_ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["train", *argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.strip().splitlines()[-1].startswith(END_LINE)
    return out


def refused(capsys: pytest.CaptureFixture[str], argv: list[str], status: int) -> str:
    """The one stderr line of a run that exits with ``status``."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    assert code == status
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert END_LINE not in out
    assert err.endswith("\n") and err.count("\n") == 1, err
    return err.strip()


# --- tui-mlp datasets ----------------------------------------------------------------------


def test_datasets_lists_every_dataset_with_its_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.strip().splitlines()}
    assert list(rows) == list(DATASETS)
    expected = {
        "seed": ("4×4 → 2", "binary"),
        "xor": ("4×2 → 1", "binary"),
        "circle": ("200×2 → 1", "binary"),
        "moons": ("200×2 → 1", "binary"),
        "spiral": ("200×2 → 1", "binary"),
        "gaussians": ("200×2 → 3", "multiclass"),
        "sine": ("200×1 → 1", "regression"),
        "digits": ("1797×64 → 10", "multiclass"),
    }
    for name, (shape, task) in expected.items():
        assert re.match(rf"{name}\s+{shape}\s+{task}\s+\S", rows[name]), rows[name]


# --- train on CSV data -----------------------------------------------------------------------


def test_iris_prints_train_and_test_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_ok(capsys, *IRIS_FLAGS, "--epochs", "500", "--seed", "3")
    assert "(120 training samples, 30 held out for testing)" in out
    assert "Network 4-8-3 (sigmoid hidden, softmax output, loss cross_entropy)" in out
    (train_line,) = lines_starting(out, "Train accuracy: ")
    (test_line,) = lines_starting(out, "Test accuracy: ")
    assert re.fullmatch(r"Train accuracy: [01]\.\d{3}", train_line)
    assert re.fullmatch(r"Test accuracy: 0\.9\d\d", test_line)
    assert float(test_line.split(": ")[1]) >= 0.93  # about scikit-learn's MLPClassifier on this split
    assert float(train_line.split(": ")[1]) >= 0.95
    lines = out.strip().splitlines()
    assert lines.index(test_line) == lines.index(train_line) + 1
    assert lines.index(test_line) < len(lines) - 1


def test_classification_prints_the_test_splits_confusion_matrix_under_the_scores(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = run_ok(capsys, *IRIS_FLAGS, "--epochs", "500", "--seed", "3")
    lines = out.splitlines()
    start = lines.index("Confusion matrix of the test split (rows: true class, columns: predicted)")
    assert lines[start - 1].startswith("Test accuracy: ")
    assert lines[start + 1].split() == ["setosa", "versicolor", "virginica"]
    rows = [line.split() for line in lines[start + 2 : start + 5]]
    assert [row[0] for row in rows] == ["setosa", "versicolor", "virginica"]
    matrix = np.array([[int(n) for n in row[1:]] for row in rows])
    assert matrix.sum() == 30 and (matrix.sum(axis=1) == 10).all()  # stratified: 10 of each
    accuracy = float(lines[start - 1].split(": ")[1])
    assert f"{np.trace(matrix) / 30:.3f}" == f"{accuracy:.3f}"
    assert lines[start + 5].startswith(END_LINE)


@pytest.mark.parametrize("flags", [["--epochs", "10"], ["--dataset", "sine", "--epochs", "10"]])
def test_no_confusion_matrix_without_a_test_split_or_for_regression(
    capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    assert "Confusion" not in run_ok(capsys, *flags, "--seed", "0")


def test_regression_prints_test_loss_and_no_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    flags = ["--dataset", "sine", "--hidden", "16", "--activation", "tanh", "--optimizer", "adam"]
    out = run_ok(capsys, *flags, "--lr", "0.02", "--epochs", "1000", "--seed", "0")
    assert "linear output, loss mse" in out
    assert "accuracy" not in out
    (line,) = lines_starting(out, "Test loss: ")
    assert line == "Test loss: 0.008536"  # four significant digits, as the app shows losses
    assert float(line.split(": ")[1]) < 0.02  # mean squared error, noise 0.1: floor about 0.01


def test_csv_numeric_targets_train_a_regression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, (60, 2))
    rows = "\n".join(f"{a:.4f},{b:.4f},{0.01 * a - 0.02 * b:.6f},{0.5:.1f}" for a, b in x)
    path = tmp_path / "lin.csv"
    path.write_text("a,b,y,c\n" + rows + "\n")
    out = run_ok(capsys, "--data", str(path), "--target", "y,c", "--optimizer", "adam", "--lr", "0.01", "--seed", "1")
    assert "Network 2-5-2" in out and "linear output" in out
    (line,) = lines_starting(out, "Test loss: ")
    assert float(line.split(": ")[1]) < 0.05
    assert "accuracy" not in out


def test_digits_train_on_their_defaults_and_reload_with_their_scaling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run_ok(capsys, "--dataset", "digits", "--hidden", "4", "--seed", "0", "--save", str(tmp_path / "d.json"))
    assert "Network 64-4-10 (sigmoid hidden, softmax output, loss cross_entropy)" in out
    assert (
        "data digits (1,438 training samples, 359 held out for testing); 300 epochs of adam at learning rate 0.01"
        in out
    )
    (test_line,) = lines_starting(out, "Test accuracy: ")
    assert float(test_line.split(": ")[1]) > 0.8  # chance: 0.1
    _, training = load_params(tmp_path / "d.json")
    assert training["dataset"] == "digits" and len(training["scaling"]["mean"]) == 64
    again = run_ok(capsys, "--dataset", "digits", "--load", str(tmp_path / "d.json"), "--epochs", "0")
    assert lines_starting(again, "Test accuracy: ") == [test_line]  # the same split, scaled alike


# --- scaling round trip through the parameter file --------------------------------------------


def test_scaling_round_trip_through_the_parameter_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_ok(capsys, *IRIS_FLAGS, "--epochs", "300", "--seed", "3", "--save", str(tmp_path / "p.json"))
    model, training = load_params(tmp_path / "p.json")
    assert training["data"] == IRIS and training["targets"] == ["species"] and training["seed"] == 3

    # the saved scaling is the training rows' statistics (not the whole table's)
    train_rows, _ = split(load_csv(IRIS, ["species"]), 0.2, 3)
    assert training["scaling"]["mean"] == train_rows.X.mean(axis=0).tolist()
    assert training["scaling"]["std"] == train_rows.X.std(axis=0).tolist()
    assert training["scaling"]["mean"] != load_csv(IRIS, ["species"]).X.mean(axis=0).tolist()

    # loading it on the same data and seed sees the same inputs: same accuracies, same outputs
    again = ["--data", IRIS, "--target", "species", "--load", str(tmp_path / "p.json"), "--seed", "3"]
    second = run_ok(capsys, *again, "--epochs", "1", "--lr", "1e-300", "--save", str(tmp_path / "q.json"))
    for prefix in ("Train accuracy: ", "Test accuracy: "):
        assert lines_starting(second, prefix) == lines_starting(first, prefix)
    reloaded, training_again = load_params(tmp_path / "q.json")
    assert training_again["scaling"] == training["scaling"]
    probe = np.random.default_rng(0).normal(size=(20, 4))
    np.testing.assert_allclose(reloaded.forward(probe), model.forward(probe), rtol=0, atol=1e-12)

    # the scaling really comes from the file: a different one gives different inputs and accuracy
    document = json.loads((tmp_path / "p.json").read_text())
    document["training"]["scaling"]["mean"] = [m + 100.0 for m in training["scaling"]["mean"]]
    (tmp_path / "shifted.json").write_text(json.dumps(document))
    shifted = ["--data", IRIS, "--target", "species", "--load", str(tmp_path / "shifted.json"), "--seed", "3"]
    third = run_ok(capsys, *shifted, "--epochs", "1", "--lr", "1e-300")
    assert float(lines_starting(third, "Test accuracy: ")[0].split(": ")[1]) <= 0.5


def test_load_without_seed_reuses_the_saved_split(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_ok(capsys, *IRIS_FLAGS, "--epochs", "300", "--seed", "3", "--save", str(tmp_path / "p.json"))
    load = [
        "--data",
        IRIS,
        "--target",
        "species",
        "--load",
        str(tmp_path / "p.json"),
        "--epochs",
        "1",
        "--lr",
        "1e-300",
    ]
    seeded = run_ok(capsys, *load, "--seed", "3")
    unseeded = [run_ok(capsys, *load) for _ in range(2)]
    assert lines_starting(unseeded[0], END_LINE) == lines_starting(unseeded[1], END_LINE)
    assert lines_starting(unseeded[0], END_LINE) == lines_starting(seeded, END_LINE)


@pytest.mark.parametrize("columns", [["petal_length"], ["sepal_width", "petal_length"]])
def test_load_with_a_different_feature_count_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], columns: list[str]
) -> None:
    run_ok(capsys, *IRIS_FLAGS, "--epochs", "50", "--seed", "3", "--save", str(tmp_path / "p.json"))
    table = load_csv(IRIS, ["species"])
    header = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    index = [header.index(c) for c in columns]
    names = [table.classes[k] for k in table.labels()]
    rows = [",".join([*(f"{v:g}" for v in x[index]), name]) for x, name in zip(table.X, names)]
    narrow = tmp_path / "narrow.csv"
    narrow.write_text(",".join([*columns, "species"]) + "\n" + "\n".join(rows) + "\n")
    argv = ["train", "--data", str(narrow), "--target", "species", "--load", str(tmp_path / "p.json"), "--seed", "3"]
    message = refused(capsys, argv, 1)
    found = {1: "1 feature column", 2: "2 feature columns"}[len(columns)]
    assert f"narrow.csv: {found}, but the network expects 4" in message


# --- bad flags: exit 2, one line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "complaint"),
    [
        (["--test-split", "1.5"], "test split 1.5 is outside"),
        (["--test-split", "-0.1"], "test split -0.1 is outside"),
        (["--batch-size", "0"], "batch size 0 is outside"),
        (["--batch-size", "2.5"], "batch size '2.5' is not a whole number"),
        (["--momentum", "1"], "momentum 1 is outside"),
        (["--momentum", "-0.5"], "momentum -0.5 is outside"),
        (["--weight-decay", "-1"], "weight decay -1 is outside"),
        (["--weight-decay", "nan"], "weight decay nan is outside"),
        (["--noise", "-1"], "noise -1 is outside"),
        (["--noise", "inf"], "noise inf is outside"),
        (["--samples", "1"], "samples 1 is outside"),
        (["--samples", "many"], "samples 'many' is not a whole number"),
        (["--optimizer", "sgd"], "invalid choice: 'sgd'"),
        (["--dataset", "mnist"], "invalid choice: 'mnist'"),
        (["--loss", "hinge"], "invalid choice: 'hinge'"),
        (["--data", "x.csv"], "--data and --target go together"),
        (["--target", "species"], "--data and --target go together"),
        (["--data", "x.csv", "--target", "a,,b"], "has an empty column name"),
    ],
)
def test_bad_data_and_training_flags_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], flags: list[str], complaint: str
) -> None:
    message = refused(capsys, ["train", *flags], 2)
    assert message.startswith("tui-mlp")
    assert complaint in message


@pytest.mark.parametrize(
    "flags",
    [
        ["--samples", "100"],
        ["--noise", "0.3"],
        ["--dataset", "xor", "--samples", "50"],
        ["--dataset", "digits", "--noise", "0"],
    ],
)
def test_samples_and_noise_with_a_fixed_dataset_are_refused(
    capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    message = refused(capsys, ["train", *flags, "--seed", "0"], 2)
    assert re.fullmatch(r"tui-mlp: dataset '(seed|xor|digits)' is fixed; --samples and --noise do not apply", message)


def test_generated_dataset_takes_samples_and_noise(capsys: pytest.CaptureFixture[str]) -> None:
    flags = ["--dataset", "circle", "--samples", "50", "--noise", "0", "--test-split", "0.4", "--epochs", "5"]
    out = run_ok(capsys, *flags, "--seed", "0", "--batch-size", "8", "--optimizer", "momentum", "--momentum", "0.5")
    assert "(30 training samples, 20 held out for testing)" in out
    assert "5 epochs of momentum at learning rate 0.5" in out  # auto: 1 for a mean loss, times (1 - momentum)


# --- bad CSV files: exit 1, one line, no traceback ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "target", "complaint"),
    [
        ("a,b,label\n1,2,x\n3,,y\n", "label", "row 3, column 'b': missing value"),
        ("a,b,label\n1,2,x\n3,zz,y\n", "label", "row 3, column 'b': 'zz' is not a finite number"),
        ("a,b,label\n1,2,x\n3,4\n", "label", "row 3 has 2 fields, the header has 3"),
        ("", "label", "the file is empty"),
        ("a,b,label\n", "label", "no data rows after the header"),
        ("a,b,label\n1,2,x\n3,4,y\n", "kind", "no column 'kind' (columns: 'a', 'b', 'label')"),
        ("a,b,label\n1,2,x\n3,4,x\n", "label", "single class ('x')"),
        ("a,a,label\n1,2,x\n3,4,y\n", "label", "row 1: the header needs a distinct"),
        (b"\xff\xfe\x00\x01garbage\x80", "label", "not a text file (invalid UTF-8)"),
    ],
)
def test_bad_csv_exits_1_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes, target: str, complaint: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    message = refused(capsys, ["train", "--data", str(path), "--target", target, "--seed", "0"], 1)
    assert message.startswith(f"tui-mlp: {path}: ")
    assert complaint in message


def test_missing_csv_exits_1_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "absent.csv"
    message = refused(capsys, ["train", "--data", str(path), "--target", "y"], 1)
    assert message == f"tui-mlp: cannot read {path}: No such file or directory"


# --- formatting ---------------------------------------------------------------------------------


def test_huge_test_loss_is_printed_like_the_final_loss(capsys: pytest.CaptureFixture[str]) -> None:
    out = run_ok(capsys, "--dataset", "sine", "--epochs", "100", "--seed", "0")
    (line,) = lines_starting(out, "Test loss: ")
    assert len(line) < 40, line


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad\nname.csv", "", r"tui-mlp: '.*/bad\\nname.csv': the file is empty; it needs a header row and data rows"),
        (
            "long.csv",
            "x,y\n1," + "7" * 100_000 + "\n",
            r"tui-mlp: .*long.csv: row 2, column 'y': '7777.*7777' is not a finite number",
        ),
        (
            "nan.csv",
            "x,y\n1,2\n" + "z" * 100_000 + ",3\n",
            r"tui-mlp: .*nan.csv: row 3, column 'x': 'zzz.*zzz' is not a finite number",
        ),
    ],
    ids=["newline in the name", "a 100,000-digit cell", "a 100,000-letter cell"],
)
def test_a_hostile_name_or_cell_gives_one_short_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert main(["train", "--data", str(path), "--target", "y", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 200 + len(str(tmp_path)), err[:300]
    assert re.fullmatch(expected, err.strip()), err
