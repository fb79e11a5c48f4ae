"""``files.atomic_write``: the target is either the old file or the whole new one,
and no temporary file is left behind."""

import errno
import os

import pytest

from tui_mlp.core import files
from tui_mlp.core.files import atomic_write, describe_os_error


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [("héllo\nwörld\n", "héllo\nwörld\n".encode()), (b"\x00\xff binary", b"\x00\xff binary"), ("", b"")],
)
def test_writes_text_as_utf8_and_bytes_as_is(tmp_path, data, expected):
    target = tmp_path / "out.json"
    returned = atomic_write(target, data)
    assert returned == target
    assert target.read_bytes() == expected
    assert leftovers(tmp_path) == []


def test_replaces_an_existing_file(tmp_path):
    target = tmp_path / "params.json"
    target.write_text("old contents that are longer than the new ones")
    atomic_write(str(target), "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["params.json"]


def test_missing_folder_raises_and_leaves_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "no" / "such" / "params.json", "x")
    assert list(tmp_path.iterdir()) == []


def test_target_that_is_a_folder_raises_and_leaves_no_temp_file(tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(OSError):
        atomic_write(tmp_path / "taken", "x")
    assert leftovers(tmp_path) == [] and (tmp_path / "taken").is_dir()


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_mid_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path, monkeypatch, failing):
    target = tmp_path / "params.json"
    target.write_text("old")

    def fail(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_interrupt_mid_write_removes_the_temp_file(tmp_path, monkeypatch):
    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "params.json", "new")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder_raises_and_leaves_nothing(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            atomic_write(folder / "params.json", "x")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_describe_os_error_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "missing" / "params.json"
    with pytest.raises(OSError) as caught:
        atomic_write(path, "x")
    assert describe_os_error(path, caught.value) == f"{path}: No such file or directory"
