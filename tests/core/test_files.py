"""``files``: the target of ``atomic_write`` is either the old file or the whole new
one, no temporary file is left behind and nothing but a regular file is replaced or
read; the paths a person types are checked before any work."""

import contextlib
import errno
import os
import signal
import socket
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- special files: read only regular files, never replace anything else ---------


@pytest.fixture
def specials(tmp_path):
    """A FIFO, a character device (like /dev/null; root only), a socket and a folder in ``tmp_path``."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "socket"))
    kinds = {"fifo": "a FIFO", "folder": "a folder", "socket": "a socket"}
    with contextlib.suppress(PermissionError):  # creating a device node needs root
        os.mknod(tmp_path / "device", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        kinds["device"] = "a device"
    yield kinds
    server.close()


@contextlib.contextmanager
def deadline(seconds):
    """Turn a call that blocks (opening a FIFO nobody writes) into a TimeoutError."""

    def expire(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_reading_refuses_anything_but_a_regular_file(tmp_path, specials):
    for name, kind in specials.items():
        path = tmp_path / name
        with deadline(5), pytest.raises(OSError) as refused:
            files.read_limited(path, 1000)
        assert describe_os_error(path, refused.value) == f"{path}: not a regular file ({kind})"


def test_reading_refuses_dev_null():
    with pytest.raises(OSError) as refused:
        files.read_limited("/dev/null", 1000)  # the size of a device says nothing: /dev/zero never ends
    assert describe_os_error("/dev/null", refused.value) == "/dev/null: not a regular file (a device)"


def test_reading_stops_at_the_limit_even_if_the_file_grew(tmp_path, monkeypatch):
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 5000)
    real_stat, real_fstat = os.stat, os.fstat

    def as_when_small(info):  # the size the file had before it grew
        return os.stat_result((*tuple(info)[:6], 10, *tuple(info)[7:]))

    monkeypatch.setattr(os, "stat", lambda p, *a, **k: as_when_small(real_stat(p, *a, **k)))
    monkeypatch.setattr(os, "fstat", lambda fd: as_when_small(real_fstat(fd)))
    with pytest.raises(files.FileTooLarge) as refused:
        files.read_limited(path, 1000)
    monkeypatch.undo()
    assert str(refused.value) == f"{path}: file grew to more than the limit of 1,000 bytes while being read"


@pytest.mark.parametrize("size", [0, 999, 1000])
def test_reading_up_to_the_limit_gives_every_byte(tmp_path, size):
    path = tmp_path / "data.csv"
    content = (bytes(range(256)) * 4)[:size]
    path.write_bytes(content)
    assert files.read_limited(path, 1000) == content
    path.write_bytes(b"y" * 1001)
    with pytest.raises(files.FileTooLarge, match="file is 1,001 bytes, more than the limit of 1,000"):
        files.read_limited(path, 1000)


def test_writing_refuses_to_replace_anything_but_a_regular_file(tmp_path, specials):
    for name, kind in specials.items():
        path = tmp_path / name
        before = os.lstat(path)
        with pytest.raises(OSError) as refused:
            atomic_write(path, "new")
        assert describe_os_error(path, refused.value) == f"{path}: not a regular file ({kind})"
        after = os.lstat(path)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert leftovers(tmp_path) == []


def test_writing_through_a_link_to_a_fifo_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to("fifo")
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(tmp_path / "link", "new")
    assert (tmp_path / "link").is_symlink() and (tmp_path / "fifo").is_fifo()


# --- overwriting keeps what the person had --------------------------------------


def test_overwriting_keeps_the_files_mode(tmp_path):
    target = tmp_path / "secret.json"
    target.write_text("old")
    target.chmod(0o600)
    atomic_write(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_new_file_gets_the_mode_open_would_give(tmp_path):
    umask = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.json", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_overwriting_keeps_the_files_owner_and_group(tmp_path):
    target = tmp_path / "theirs.json"
    target.write_text("old")
    os.chown(target, 1234, 5678)
    atomic_write(target, "new")
    assert (target.stat().st_uid, target.stat().st_gid) == (1234, 5678)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "kept.json"
    target.write_text("old")
    target.chmod(0o444)
    with pytest.raises(PermissionError) as refused:
        atomic_write(target, "new")
    assert describe_os_error(target, refused.value) == f"{target}: the file is read-only"
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_link_stays_a_link_and_its_target_is_written(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "real.json").write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(elsewhere / "real.json")
    assert atomic_write(link, "new") == link
    assert link.is_symlink() and os.readlink(link) == str(elsewhere / "real.json")
    assert (elsewhere / "real.json").read_text() == "new"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["real.json"] and leftovers(tmp_path) == []


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    atomic_write(link, "new")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "new"


def test_a_hard_linked_name_gets_the_new_contents_and_the_other_name_keeps_the_old(tmp_path):
    # documented: the rename gives the written name a new inode; writing in place would not be atomic
    (tmp_path / "a.json").write_text("old")
    os.link(tmp_path / "a.json", tmp_path / "b.json")
    atomic_write(tmp_path / "a.json", "new")
    assert (tmp_path / "a.json").read_text() == "new" and (tmp_path / "b.json").read_text() == "old"


# --- streaming, and no temporary file left on any exit ---------------------------


def test_text_pieces_are_streamed_one_after_another(tmp_path):
    target = tmp_path / "streamed.json"
    atomic_write(target, (f"{i}é\n" for i in range(1000)))
    assert target.read_text() == "".join(f"{i}é\n" for i in range(1000))


def interrupted_pieces(exception):
    yield "written first\n"
    raise exception


@pytest.mark.parametrize("exception", [KeyboardInterrupt(), SystemExit(143), OSError(errno.EIO, "I/O error")])
def test_an_exception_mid_stream_keeps_the_old_file_and_removes_the_temp_file(tmp_path, exception):
    target = tmp_path / "params.json"
    target.write_text("old")
    with pytest.raises(type(exception)):
        atomic_write(target, interrupted_pieces(exception))
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_sigterm_mid_write_removes_the_temp_file(tmp_path):
    """A SIGTERM handler that raises in the main thread (as the CLI's does) while pieces are written."""

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    def pieces():
        yield "x" * 100_000
        signal.raise_signal(signal.SIGTERM)
        yield "never written"

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        with pytest.raises(SystemExit):
            atomic_write(tmp_path / "params.json", pieces())
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(tmp_path.iterdir()) == []


# --- check_output_path: a file about to be written, checked before any work -------

SNAPSHOT_SUFFIXES = (".txt", ".ansi", ".svg", ".html")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """``tmp_path`` as the working folder, holding a file, a folder, a FIFO and links."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.json").write_text("old")
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "to-fifo").symlink_to("fifo")
    (tmp_path / "to-old.json").symlink_to("old.json")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "suffixes", "message"),
    [
        ("", None, "the file name is empty"),
        ("  ", None, "the file name is empty"),
        ("sub/", None, "sub/: names a folder; give a file name"),
        ("folder/", None, "folder/: names a folder; give a file name"),
        (".", None, ".: names a folder; give a file name"),
        ("folder/..", None, "folder/..: names a folder; give a file name"),
        ("folder", None, "folder: not a regular file (a folder)"),
        ("fifo", None, "fifo: not a regular file (a FIFO)"),
        ("to-fifo", None, "to-fifo: not a regular file (a FIFO)"),
        ("missing/p.json", None, "missing/p.json: folder missing does not exist"),
        ("old.json/p.json", None, "old.json/p.json: Not a directory"),
        ("a\x00b.json", None, "'a\\x00b.json': a file name cannot contain a NUL character"),
        ("x.png", SNAPSHOT_SUFFIXES, "x.png: unknown suffix '.png'; use .txt, .ansi, .svg, .html"),
        ("x", SNAPSHOT_SUFFIXES, "x: no suffix; use .txt, .ansi, .svg, .html"),
    ],
)
def test_output_paths_that_cannot_be_written_are_refused_in_one_line(workdir, text, suffixes, message):
    before = sorted(os.listdir(workdir))
    with pytest.raises(ValueError) as refused:
        files.check_output_path(text, suffixes)
    assert str(refused.value) == message
    assert sorted(os.listdir(workdir)) == before


@pytest.mark.parametrize(
    ("text", "suffixes"),
    [("new.json", None), ("old.json", None), ("to-old.json", None), ("folder/new.json", None), ("A.SVG", (".svg",))],
)
def test_writable_output_paths_are_accepted_as_typed(workdir, text, suffixes):
    assert files.check_output_path(text, suffixes) == Path(text)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_an_output_in_a_read_only_folder_is_refused(workdir):
    (workdir / "folder").chmod(0o500)
    try:
        with pytest.raises(ValueError) as refused:
            files.check_output_path("folder/p.json")
    finally:
        (workdir / "folder").chmod(0o700)
    assert str(refused.value) == f"folder/p.json: no permission to create files in folder {workdir / 'folder'}"


def test_same_file_follows_links(workdir):
    assert files.same_file("to-old.json", "old.json") and files.same_file("folder/../x", "x")
    assert not files.same_file("old.json", "new.json")


# --- resolve_inside: a path a remote person typed, confined to a folder -----------


@pytest.fixture
def confined(tmp_path):
    """A root folder with a file, a folder, a FIFO and links (out of it, and within it), beside a secret."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "p.json").write_text("{}")
    (root / "a.json").write_text("{}")
    os.mkfifo(root / "fifo")
    (tmp_path / "secret.json").write_text("secret")
    (root / "out").symlink_to(tmp_path)
    (root / "out.json").symlink_to(tmp_path / "secret.json")
    (root / "in").symlink_to(root / "sub")
    (root / "in.json").symlink_to("sub/p.json")
    return root


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("a.json", "a.json"),
        ("new.json", "new.json"),
        ("sub/p.json", "sub/p.json"),
        ("./sub//new.json", "sub/new.json"),
        ("in/p.json", "sub/p.json"),
        ("in.json", "sub/p.json"),
        ("missing/new.json", "missing/new.json"),
    ],
)
def test_paths_inside_the_root_resolve_to_absolute_paths_in_it(confined, text, inside):
    assert files.resolve_inside(confined, text) == confined / inside


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file name is empty"),
        ("/etc/passwd", "/etc/passwd: give a path inside the working folder, not an absolute one"),
        ("~/x.json", "~/x.json: '~' is not a home folder here; give a path inside the working folder"),
        ("~root/x.json", "~root/x.json: '~' is not a home folder here; give a path inside the working folder"),
        ("a/../../x", "a/../../x: '..' is not allowed; give a path inside the working folder"),
        ("../root/a.json", "../root/a.json: '..' is not allowed; give a path inside the working folder"),
        ("sub/..", "sub/..: names a folder; give a file name"),
        ("out/secret.json", "out/secret.json: leads outside the working folder"),
        ("out.json", "out.json: leads outside the working folder"),
        ("out/new.json", "out/new.json: leads outside the working folder"),
        ("a\x00.json", "'a\\x00.json': a file name cannot contain a NUL character"),
        ("fifo", "fifo: not a regular file (a FIFO)"),
        ("sub", "sub: not a regular file (a folder)"),
        ("in", "in: not a regular file (a folder)"),
        ("a.json/x", "a.json/x: Not a directory"),
    ],
)
def test_paths_that_leave_the_root_or_name_no_file_are_refused(confined, text, reason):
    with pytest.raises(ValueError) as refused:
        files.resolve_inside(confined, text)
    assert str(refused.value) == reason


PIECES = ["a.json", "sub", "in", "out", "out.json", "fifo", "..", ".", "~", "", "x", "\x00", " ", "é", "/"]


@settings(max_examples=500, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(st.sampled_from(PIECES), max_size=6).map("/".join)
    | st.text(alphabet=st.sampled_from("a./~\\\x00 é-"), max_size=12)
)
def test_any_typed_path_resolves_inside_the_root_or_is_refused_in_one_line(confined, text):
    root = os.path.realpath(confined)
    try:
        resolved = files.resolve_inside(confined, text)
    except ValueError as refused:
        assert str(refused) and "\n" not in str(refused)
        return
    assert resolved.is_absolute() and os.path.commonpath([root, os.path.realpath(resolved)]) == root
    assert resolved != Path(root) and ".." not in text.split("/") and not text.startswith(("/", "~"))
    assert not resolved.exists() or resolved.is_file()


def test_an_interrupt_just_after_the_temporary_file_is_created_removes_it(tmp_path, monkeypatch):
    """The signal can land between creating the temporary file and keeping its descriptor."""
    real_open = os.open

    def open_then_interrupt(*args, **kwargs):
        real_open(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "p.json", "new")
    assert list(tmp_path.iterdir()) == []
