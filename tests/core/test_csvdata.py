"""Loading a user's CSV table: every refused file, the good cases, the memory
it takes, and standardisation with the training rows' statistics. NumPy
warnings are errors here: none may escape to the person's terminal."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from tui_mlp.core import csvdata
from tui_mlp.core.csvdata import DataError, load_csv, standardise
from tui_mlp.core.datasets import Dataset

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # NumPy overflow and invalid-value warnings

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


@pytest.mark.parametrize("value", ["1e300", "-1.5e151", "1.0000001e150"])
def test_feature_beyond_the_standardising_bound_is_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"a,b,label\n1,2,x\n{value},4,y\n")
    message = refused(path, ["label"])
    assert message == f"{path}: row 3, column 'a': {value!r} is too large to standardise (beyond ±1e+150)"


@pytest.mark.parametrize("targets", [["t"], ["u", "t"]])
def test_numeric_target_beyond_the_bound_is_refused(tmp_path: Path, targets: list[str]) -> None:
    path = write(tmp_path, "a,t,u\n1,2,3\n2,-1e200,4\n")
    message = refused(path, targets)
    assert message == f"{path}: row 3, column 't': '-1e200' is too large for a regression target (beyond ±1e+150)"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e400"])
@pytest.mark.parametrize("targets", [["t"], ["t", "u"]])
def test_non_finite_numeric_target_is_refused(tmp_path: Path, value: str, targets: list[str]) -> None:
    """Every value of the column parses as a number, so it is numeric, and a
    value that is not finite is refused (it used to make the column a class label)."""
    path = write(tmp_path, f"a,t,u\n1,1.5,3\n2,{value},4\n3,2,5\n")
    assert refused(path, targets) == f"{path}: row 3, column 't': {value!r} is not a finite number"


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('a,b,label\n1,2,x\n3,"4,y\n5,6,z\n', 3),
        ('a,b,label\n1,2,x\n3,"4,y\n5,6,z', 3),  # no line end at the end of the file
        ('a,b,label\r\n1,2,x\r\n3,4,"y\r\n\r\n', 3),
        ('a,b,label\r1,2,x\r3,4,"y\r', 3),
        ('a,b,label\n1,"x\ny","z\n', 3),  # the second quote of a record spanning lines 2 and 3
        ('a,label\n1,x\n2,"', 3),
        ('a,"label\n1,x\n2,y\n', 1),
    ],
)
def test_unclosed_quote_names_the_row_where_it_opened(tmp_path: Path, text: str, row: int) -> None:
    path = write(tmp_path, text)
    assert refused(path, ["label"]) == f"{path}: row {row}: a quoted field is never closed"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a,b,label\n1,2,x\n3,zz,y\n5,,x\n", "row 3, column 'b': 'zz' is not a finite number"),
        ("a,b,label\n1,2,x\n3, ,y\n5,zz,x\n", "row 3, column 'b': missing value"),
        ("a,b,label\n1,2,x\n3,zz,y\n5,6\n", "row 3, column 'b': 'zz' is not a finite number"),
        ('a,b,label\n1,2,x\n3,zz,y\n5,"6,x\n', "row 3, column 'b': 'zz' is not a finite number"),
        ("a,b,label\n1,2,x\n3,zz,\n", "row 3, column 'label': missing value"),  # in a row: blanks first
        ("a,b,label\n1,nan,x\n3,1e300,y\n", "row 2, column 'b': 'nan' is not a finite number"),
    ],
)
def test_the_first_bad_row_in_the_file_is_named(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    assert refused(path, ["label"]) == f"{path}: {problem}"


def test_bad_rows_are_found_in_every_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvdata, "BLOCK_CELLS", 7, raising=False)  # two rows of three cells a block
    rows = [f"{i},{i / 2},{'xy'[i % 2]}" for i in range(9)]
    path = write(tmp_path, "\n".join(["a,b,label", *rows]) + "\n")
    np.testing.assert_array_equal(load_csv(path, ["label"]).X, [[i, i / 2] for i in range(9)])
    for bad in range(2, 11):  # the line of the bad row
        broken = [*rows[: bad - 2], "7,q,x", *rows[bad - 2 :]]
        path = write(tmp_path, "\n".join(["a,b,label", *broken]) + "\n")
        assert refused(path, ["label"]) == f"{path}: row {bad}, column 'b': 'q' is not a finite number"


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


def test_text_target_with_number_like_labels_is_a_class_column(tmp_path: Path) -> None:
    """One value that does not parse as a number makes the column class labels, 'nan' included."""
    data = load_csv(write(tmp_path, "a,t\n1,1\n2,2\n3,x\n4,nan\n5,1\n"), ["t"])
    assert data.task == "multiclass" and data.classes == ("1", "2", "nan", "x")
    assert data.labels().tolist() == [0, 1, 3, 2, 0]


def test_single_numeric_target_keeps_each_rows_value(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, "a,t\n1,2.5\n2, 1e2 \n3,2.50\n4,-1e150\n"), ["t"])
    assert data.task == "regression" and data.classes == ()
    np.testing.assert_array_equal(data.y, [[2.5], [100.0], [2.5], [-1e150]])


def test_values_at_the_bound_of_as_many_rows_as_allowed_standardise_to_finite_numbers(tmp_path: Path) -> None:
    rows = "".join(f"{sign}1e150,{label}\n" for sign, label in [("", "x"), ("-", "y")] * (csvdata.MAX_ROWS // 2))
    data = load_csv(write(tmp_path, "a,label\n" + rows), ["label"])
    assert data.X.shape == (csvdata.MAX_ROWS, 1)
    (scaled,) = standardise(data)
    np.testing.assert_allclose(scaled.scaling[1], [1e150], rtol=1e-15)
    np.testing.assert_allclose(scaled.X[:, 0], np.tile([1.0, -1.0], csvdata.MAX_ROWS // 2), rtol=1e-15)


@pytest.mark.parametrize(
    "text",
    [
        'a,label\n\n1,"x\ny"\n\n\n2,z\n\n',  # blank lines and a record over two lines
        "a,label\r1,x\r2,z",  # CR line ends, no line end at the end
        '\n\na,label\r\n1,"x\ny"\r\n2,z\r\n',
    ],
)
def test_arrays_hold_exactly_the_rows_read(tmp_path: Path, text: str) -> None:
    data = load_csv(write(tmp_path, text), ["label"])
    np.testing.assert_array_equal(data.X, [[1.0], [2.0]])
    assert data.X.flags.c_contiguous and data.X.flags.owndata and data.X.base is None
    assert data.y.shape == (2, 2)


def test_loading_takes_less_than_five_times_the_file_in_memory(tmp_path: Path) -> None:
    """It took 15 times the file: the text, a list of rows and a string per cell at once."""
    values = np.random.default_rng(0).random((20_000, 20)) * 10
    header = ",".join(f"x{j}" for j in range(20)) + ",y\n"
    rows = "".join(",".join(f"{v:.4f}" for v in row) + f",c{k % 3}\n" for k, row in enumerate(values))
    path = write(tmp_path, header + rows)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        data = load_csv(path, ["y"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data.X.shape == (20_000, 20) and data.classes == ("c0", "c1", "c2")
    assert peak < 5 * size, f"peak {peak / size:.1f} times the file"


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


def test_standardise_takes_a_tiny_deviation_as_zero() -> None:
    """Squares of deviations below 1e-154 underflow, so such a deviation is not
    trusted: the column is only centred, and a value within ±1e150 stays finite."""
    train, test = make([[0.0], [1e-160]]), make([[1e150]])
    scaled_train, scaled_test = standardise(train, test)
    np.testing.assert_array_equal(scaled_train.scaling[1], [1.0])
    np.testing.assert_array_equal(scaled_test.X, [[1e150]])


def test_standardise_refuses_a_deviation_that_overflows() -> None:
    train = make([[1.0, 1e300], [2.0, -1e300]])
    with pytest.raises(DataError) as caught:
        standardise(train)
    assert str(caught.value) == (
        "d: feature 2 cannot be standardised: with mean 0 and standard deviation inf"
        " its scaled values are not finite numbers"
    )


def test_standardise_refuses_scaled_values_that_overflow() -> None:
    """A saved scaling with a tiny standard deviation, on values far from its mean."""
    train, test = make([[1.0, 1.0], [3.0, 0.0]]), make([[1.0, 1e10]], "t")
    scaling = (np.array([0.0, 0.0]), np.array([1.0, 1e-300]))
    with pytest.raises(DataError) as caught:
        standardise(train, test, scaling=scaling)
    assert str(caught.value) == (
        "t: feature 2 cannot be standardised: with mean 0 and standard deviation 1e-300"
        " its scaled values are not finite numbers"
    )


def test_the_description_counts_one_feature_in_the_singular(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, "x,y\n1,a\n2,b\n3,a\n"), ["y"])
    assert data.description == "table.csv: 3 rows, 1 feature → y"
