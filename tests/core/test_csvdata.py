"""Loading a user's CSV table: every refused file, the good cases, and
standardisation with the training rows' statistics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui_mlp.core import csvdata
from tui_mlp.core.csvdata import DataError, load_csv, standardise
from tui_mlp.core.datasets import Dataset

IRIS = Path(__file__).resolve().parent.parent / "data" / "iris.csv"
IRIS_COLUMNS = "'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'"


def write(tmp_path: Path, text: str | bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def refused(path: Path, targets: list[str]) -> str:
    """The one-line DataError message for loading ``path``; it names the file."""
    with pytest.raises(DataError) as caught:
        load_csv(path, targets)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert str(path) in message
    return message


# --- refused files -------------------------------------------------------------------


def test_missing_value_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,label\n1,2,x\n3,4,y\n5, ,x\n")
    assert refused(path, ["label"]) == f"{path}: row 4, column 'b': missing value"


def test_missing_target_value_names_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,label\n1,2,x\n3,4,\n")
    assert refused(path, ["label"]) == f"{path}: row 3, column 'label': missing value"


def test_row_numbers_count_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,label\n1,2,x\n\n3,,y\n")
    assert refused(path, ["label"]) == f"{path}: row 4, column 'b': missing value"


def test_non_numeric_feature_names_row_column_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,label\n1,2,x\n3,four,y\n")
    assert refused(path, ["label"]) == f"{path}: row 3, column 'b': 'four' is not a finite number"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
def test_non_finite_feature_is_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"a,b,label\n1,2,x\n{value},4,y\n")
    assert refused(path, ["label"]) == f"{path}: row 3, column 'a': {value!r} is not a finite number"


@pytest.mark.parametrize(("row", "fields"), [("1,2", 2), ("1,2,x,9", 4)])
def test_ragged_row_is_refused(tmp_path: Path, row: str, fields: int) -> None:
    path = write(tmp_path, f"a,b,label\n1,2,x\n{row}\n3,4,y\n")
    assert refused(path, ["label"]) == f"{path}: row 3 has {fields} fields, the header has 3"


@pytest.mark.parametrize("text", ["", "\n\n", "  \n,,\n"])
def test_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    assert "empty" in refused(path, ["label"])


def test_header_only_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,label\n")
    assert refused(path, ["label"]) == f"{path}: no data rows after the header"


def test_unknown_target_lists_the_columns() -> None:
    message = refused(IRIS, ["colour"])
    assert message == f"{IRIS}: no column 'colour' (columns: {IRIS_COLUMNS})"


def test_single_class_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a,label\n1,x\n2,x\n3,x\n")
    message = refused(path, ["label"])
    assert "single class ('x')" in message and "'label'" in message


def test_too_many_classes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_CLASSES", 3)
    path = write(tmp_path, "a,label\n1,p\n2,q\n3,r\n4,s\n")
    assert "4 classes, more than 3" in refused(path, ["label"])


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_ROWS", 5)
    rows = "".join(f"{i},{'xy'[i % 2]}\n" for i in range(6))
    path = write(tmp_path, "a,label\n" + rows)
    assert refused(path, ["label"]) == f"{path}: 6 rows, more than the limit of 5"
    write(tmp_path, "a,label\n" + rows.split("\n", 1)[1])  # 5 rows: at the limit, accepted
    assert load_csv(path, ["label"]).X.shape == (5, 1)


def test_too_many_columns_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_COLUMNS", 3)
    path = write(tmp_path, "a,b,c,label\n1,2,3,x\n4,5,6,y\n")
    assert "4 columns, more than the limit of 3" in refused(path, ["label"])


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "MAX_FILE_BYTES", 10)
    path = write(tmp_path, "a,label\n1,x\n2,y\n")
    assert "more than the limit of 10" in refused(path, ["label"])


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", "picture.csv")
    assert refused(path, ["label"]) == f"{path}: not a text file (invalid UTF-8)"


def test_latin1_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a,label\n1,caf\xe9\n2,th\xe9\n".encode("latin-1"))
    assert "invalid UTF-8" in refused(path, ["label"])


def test_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    message = refused(path, ["label"])
    assert message.startswith(f"cannot read {path}")


def test_directory_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path, ["label"]).startswith(f"cannot read {tmp_path}")


@pytest.mark.parametrize("header", ["a,a,label", "a,,label", "a, a ,label"])
def test_duplicate_or_empty_header_names_are_refused(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"{header}\n1,2,x\n3,4,y\n")
    assert refused(path, ["label"]) == f"{path}: row 1: the header needs a distinct, non-empty name for every column"


def test_every_column_a_target_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "u,v\n1,2\n3,4\n")
    assert "every column is a target" in refused(path, ["u", "v"])


def test_target_named_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a,u,v\n1,2,3\n4,5,6\n")
    assert "named twice" in refused(path, ["u", "u"])


def test_text_target_with_other_targets_is_refused() -> None:
    message = refused(IRIS, ["petal_width", "species"])
    assert message == f"{IRIS}: a class column ('species') must be the only target"


def test_non_numeric_numeric_target_in_regression_is_a_class_column(tmp_path: Path) -> None:
    """A target column holding any text is a class label (documented rule)."""
    data = load_csv(write(tmp_path, "a,t\n1,1.5\n2,x\n3,1.5\n"), ["t"])
    assert data.task == "multiclass" and data.classes == ("1.5", "x")


# --- good files ------------------------------------------------------------------------


def test_iris_loads_as_three_one_hot_classes() -> None:
    data = load_csv(IRIS, ["species"])
    assert data.name == "iris"
    assert data.X.shape == (150, 4) and data.y.shape == (150, 3)
    assert data.X.dtype == data.y.dtype == np.float64
    assert data.task == "multiclass" and data.classes == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(data.y.sum(axis=1), 1.0)
    assert np.bincount(data.labels()).tolist() == [50, 50, 50]
    np.testing.assert_array_equal(data.X[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(data.y[0], [1, 0, 0])
    np.testing.assert_array_equal(data.y[-1], [0, 0, 1])
    assert data.scaling is None  # load_csv does not scale
    assert "150 rows, 4 features" in data.description


def test_numeric_targets_are_a_multi_output_regression(tmp_path: Path) -> None:
    path = write(tmp_path, "x1,y1,x2,y2\n1,0.5,2,-3\n4,1.5,5,6e1\n7,2,8,9\n")
    data = load_csv(path, ["y2", "y1"])
    assert data.task == "regression" and data.classes == ()
    np.testing.assert_array_equal(data.X, [[1, 2], [4, 5], [7, 8]])
    np.testing.assert_array_equal(data.y, [[-3, 0.5], [60, 1.5], [9, 2]])  # in the order asked for


def test_text_column_left_as_a_feature_is_refused() -> None:
    message = refused(IRIS, ["petal_length", "petal_width"])
    assert message == f"{IRIS}: row 2, column 'species': 'setosa' is not a finite number"


def test_bom_crlf_quotes_and_padding_are_handled(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeff"a", b ,label\r\n 1 ,2.5,"x"\r\n3,-4e-1, y \r\n\r\n')
    data = load_csv(path, ["label"])
    np.testing.assert_array_equal(data.X, [[1.0, 2.5], [3.0, -0.4]])
    assert data.classes == ("x", "y")
    np.testing.assert_array_equal(data.y, [[1, 0], [0, 1]])


def test_integer_class_codes_are_regression_targets(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, "a,t\n1,0\n2,1\n3,2\n"), ["t"])
    assert data.task == "regression"
    np.testing.assert_array_equal(data.y[:, 0], [0, 1, 2])


def test_quoted_line_break_is_kept(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, 'a,label\n1,"x\ny"\n2,z\n'), ["label"])
    assert data.classes == ("x\ny", "z")


# --- standardise --------------------------------------------------------------------------


def make(X: list[list[float]], name: str = "d") -> Dataset:
    X_ = np.array(X, dtype=np.float64)
    return Dataset(name, X_, np.zeros((len(X_), 1)), name, "regression")


def test_standardise_uses_training_statistics_for_every_set() -> None:
    train, test = make([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]]), make([[7.0, 0.0]], "t")
    scaled_train, scaled_test, nothing = standardise(train, test, None)
    assert nothing is None
    mean, std = np.array([3.0, 20.0]), np.array([np.sqrt(8 / 3), np.sqrt(200 / 3)])
    np.testing.assert_allclose(scaled_train.X.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(scaled_train.X.std(axis=0), 1, rtol=1e-14)
    np.testing.assert_allclose(scaled_test.X, [(np.array([7.0, 0.0]) - mean) / std], rtol=1e-14)
    for d in (scaled_train, scaled_test):
        np.testing.assert_allclose(d.scaling[0], mean, rtol=1e-15)
        np.testing.assert_allclose(d.scaling[1], std, rtol=1e-15)
    assert train.scaling is None and train.X[0, 0] == 1.0  # inputs untouched


def test_standardise_zero_variance_column_is_centred_not_divided_by_zero() -> None:
    train, test = make([[1.0, 4.0], [3.0, 4.0]]), make([[2.0, 6.0]])
    scaled_train, scaled_test = standardise(train, test)
    assert np.isfinite(scaled_train.X).all()
    np.testing.assert_array_equal(scaled_train.X, [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(scaled_test.X, [[0.0, 2.0]])
    np.testing.assert_array_equal(scaled_train.scaling[1], [1.0, 1.0])


def test_standardise_with_given_scaling_ignores_training_statistics() -> None:
    train = make([[1.0, 10.0], [3.0, 30.0]])
    scaling = (np.array([1.0, 2.0]), np.array([2.0, 4.0]))
    (scaled,) = standardise(train, scaling=scaling)
    np.testing.assert_array_equal(scaled.X, [[0.0, 2.0], [1.0, 7.0]])
    assert scaled.scaling[0] is scaling[0]
