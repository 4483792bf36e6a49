"""Files the command line writes: atomically, and never over an input."""

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from cli._helpers import (
    FAST,
    classification_table,
    files_in,
    fill_the_disk,
    last_line,
    run,
    subprocess_env,
    write,
)

from skdistill.cli._errors import CLIError
from skdistill.cli._files import atomic_write, check_destination


def test_atomic_write_replaces_the_file_once_complete(tmp_path):
    """The content appears whole, with the old file's permissions; no leftovers."""
    path = tmp_path / "out.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    with atomic_write(path, "w") as file:
        file.write("new")
        assert path.read_text() == "old"  # not yet replaced
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert files_in(tmp_path) == ["out.txt"]


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    """A new file is 0o666 less the umask, as open() makes it, not mkstemp's 0o600."""
    umask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "new.bin") as file:
            file.write(b"data")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    """A full disk mid-write: the old file byte-identical, no temporary file."""
    path = tmp_path / "model.skops"
    path.write_bytes(b"old content")
    fill_the_disk(monkeypatch, limit=4)
    with pytest.raises(
        CLIError,
        match=re.escape(f"cannot write {path}: {os.strerror(errno.ENOSPC)}"),
    ):
        with atomic_write(path) as file:
            file.write(b"new content, longer than the disk")
    assert path.read_bytes() == b"old content"
    assert files_in(tmp_path) == ["model.skops"]


def test_a_failed_write_creates_no_file(tmp_path, monkeypatch):
    """A failure while writing a new file leaves no file at all."""
    fill_the_disk(monkeypatch, limit=4)
    with pytest.raises(CLIError, match=re.escape("cannot write")):
        with atomic_write(tmp_path / "new.csv", "w") as file:
            file.write("a,b\n1,2\n")
    assert files_in(tmp_path) == []


def test_an_interrupt_keeps_the_old_file(tmp_path):
    """Ctrl-C (or any error) in the middle: the error goes on, the old file stays."""
    path = tmp_path / "predictions.csv"
    path.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(path, "w") as file:
            file.write("half")
            raise KeyboardInterrupt
    assert path.read_text() == "old"
    assert files_in(tmp_path) == ["predictions.csv"]


def test_a_symbolic_link_is_followed(tmp_path):
    """Writing to a link replaces the file it points to; the link stays a link."""
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    try:
        link.symlink_to(real)
    except OSError:
        pytest.skip("cannot make symbolic links here")
    with atomic_write(link, "w") as file:
        file.write("new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_check_destination(tmp_path):
    """An existing file needs force; an input never is a destination."""
    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    with pytest.raises(
        CLIError, match=re.escape(f"{data} exists; pass --force to overwrite it")
    ):
        check_destination(str(data))
    assert check_destination(str(data), force=True) == data
    other_spelling = tmp_path / "sub" / ".." / "data.csv"
    (tmp_path / "sub").mkdir()
    with pytest.raises(
        CLIError,
        match=re.escape(
            f"--output: {other_spelling} is the same file as DATA {data}; write to "
            "another file (--force never overwrites an input)"
        ),
    ):
        check_destination(
            str(other_spelling), force=True, option="--output", inputs={"DATA": data}
        )
    fresh = tmp_path / "out.csv"
    assert check_destination(str(fresh), inputs={"DATA": "-"}) == fresh  # stdin
    with pytest.raises(CLIError, match=re.escape("no such directory")):
        check_destination(str(tmp_path / "missing" / "m.skops"))


def test_fit_force_keeps_the_old_model_when_the_write_fails(
    fitted, capsys, tmp_path, monkeypatch
):
    """fit --force over a model, with a disk that fills up: the old model stays."""
    data, model = fitted
    old = tmp_path / "model.skops"
    shutil.copyfile(model, old)
    before = old.read_bytes()
    fill_the_disk(monkeypatch, limit=1000)
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--out", old, "--force", *FAST],
    )
    assert code == 1
    assert last_line(err) == (
        f"skdistill fit: error: cannot write {old}: {os.strerror(errno.ENOSPC)}"
    )
    assert old.read_bytes() == before
    assert files_in(tmp_path) == ["model.skops"]


def test_predict_keeps_the_old_predictions_when_the_write_fails(
    fitted, capsys, tmp_path, monkeypatch
):
    """predict -o --force with a disk that fills up: the old predictions stay."""
    data, model = fitted
    output = tmp_path / "predictions.csv"
    output.write_text("label\nold\n")
    fill_the_disk(monkeypatch, limit=50)
    code, _, err = run(capsys, "predict", model, data, "-o", output, "--force")
    assert code == 1
    assert last_line(err) == (
        f"skdistill predict: error: cannot write {output}: {os.strerror(errno.ENOSPC)}"
    )
    assert output.read_text() == "label\nold\n"
    assert files_in(tmp_path) == ["predictions.csv"]


def test_a_plot_that_fails_keeps_the_old_plot(tmp_path, monkeypatch):
    """The demo's plots are written the same way."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skdistill.cli._train import _save_figure

    path = tmp_path / "compression.png"
    path.write_bytes(b"old plot")
    figure = plt.figure()
    try:
        fill_the_disk(monkeypatch, limit=10)
        with pytest.raises(CLIError, match=re.escape(f"cannot write {path}")):
            _save_figure(figure, path)
    finally:
        plt.close(figure)
    assert path.read_bytes() == b"old plot"
    assert files_in(tmp_path) == ["compression.png"]


_LIMITED = """\
import json, resource, sys
from skdistill.cli import main
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
print(json.dumps([main(argv) for argv in json.loads(sys.argv[2])]))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file-size limits")
def test_a_file_size_limit_keeps_the_old_files(fitted, tmp_path):
    """A real failure in a real process: ``ulimit -f`` (RLIMIT_FSIZE) hits.

    Python ignores SIGXFSZ, so a write past the limit fails with EFBIG; the
    model and predictions files written before stay byte-identical.
    """
    pytest.importorskip("resource")
    data, model = fitted
    old_model = tmp_path / "model.skops"
    shutil.copyfile(model, old_model)
    old_predictions = tmp_path / "predictions.csv"
    old_predictions.write_text("label\nold\n")
    before = old_model.read_bytes()
    predict = ["predict", model, data, "--proba", "-o", old_predictions, "--force"]
    fit = ["fit", data, "--target", "label", "--out", old_model, "--force", *FAST]
    commands = [[str(arg) for arg in argv] for argv in (predict, fit)]
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, "2048", json.dumps(commands)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [1, 1]
    too_large = os.strerror(errno.EFBIG)
    assert (
        f"skdistill predict: error: cannot write {old_predictions}: {too_large}"
        in result.stderr
    )
    assert f"skdistill fit: error: cannot write {old_model}: {too_large}" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert old_predictions.read_text() == "label\nold\n"
    assert old_model.read_bytes() == before
    assert files_in(tmp_path) == ["model.skops", "predictions.csv"]


def test_fit_never_overwrites_its_data(tmp_path, capsys, monkeypatch):
    """fit --out DATA is refused even with --force, before reading DATA."""
    data = write(tmp_path, classification_table())
    before = data.read_bytes()
    monkeypatch.setattr(
        "skdistill.cli._fit.read_table", lambda path: pytest.fail("DATA was read")
    )
    code, _, err = run(
        capsys, "fit", data, "--target", "label", "--out", data, "--force"
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: --out: {data} is the same file as DATA {data}; "
        "write to another file (--force never overwrites an input)"
    )
    assert data.read_bytes() == before
