"""``skdistill compress``: the frontier table, the budget, the saved student."""

import contextlib
import io
import json
import re
from argparse import Namespace
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from cli._helpers import (
    classification_table,
    files_in,
    last_line,
    regression_table,
    run,
    write,
)

from skdistill.cli import main
from skdistill.cli._compress import (
    LADDERS,
    format_size,
    keep_share,
    latency_seconds,
    no_student_message,
    size_bytes,
)
from skdistill.cli._persist import load_bundle

# One small ladder, few timings, and a small teacher: a search takes seconds.
SEARCH = ["--ladders", "tree", "--cv", "3", "--latency-repeats", "1", "--n-jobs", "1"]
QUICK = [*SEARCH, "--n-estimators", "10"]
#: The chosen student of --keep 0.99 on classification_table(300) with QUICK.
CHOSEN = "tree[max_depth=3]"


def _main(*argv):
    """``main(argv)`` with its output captured: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def compressed(tmp_path_factory):
    """One search to --keep 0.99, saved with its plots; its files and output."""
    folder = tmp_path_factory.mktemp("compress")
    data = write(folder, classification_table(n=300))
    model = folder / "small.skops"
    code, out, err = _main(
        *["compress", data, "--target", "label", "--drop", "id", "--keep", "0.99"],
        *["--out", model, "--plots", folder / "plots", *QUICK],
    )
    return {"folder": folder, "data": data, "model": model, "code": code}, out, err


def _table_rows(out):
    """The rows of the printed table: (chosen, student, score, frontiers)."""
    rows = []
    for line in out.splitlines():
        match = re.match(r"^(\*| ) +(\S+\[\S+\]) +([\d.]+) .*?([a-z, ]*)$", line)
        if match:
            rows.append((match[1] == "*", match[2], float(match[3]), match[4]))
    return rows


def test_compress_prints_the_frontier_and_the_choice(compressed):
    """The table on stdout marks the chosen student, which the budget line
    explains: the smallest student whose score reaches the floor."""
    files, out, err = compressed
    assert files["code"] == 0, err
    assert out.startswith(
        "Compression: the frontier of 5 students tried, 3-fold cross-validated "
        "accuracy (* chosen)\n"
    )
    header = out.splitlines()[2].split()
    assert header == [
        *["student", "accuracy", "hard-label", "size", "ONNX", "size"],
        *["parameters", "1-row", "µs", "frontier"],
    ]
    # the size frontier is the same at every run (the latency one depends on
    # the timings); the rows come smallest first
    rows = _table_rows(out)
    on_size = [(name, score) for _, name, score, on in rows if "size" in on]
    assert [name for name, _ in on_size] == [
        "tree[max_depth=1]",
        "tree[max_depth=2]",
        CHOSEN,
    ]
    assert [name for chosen, name, _, _ in rows if chosen] == [CHOSEN]
    floor = float(re.search(r"budget: accuracy at least ([\d.]+) ", out)[1])
    teacher = float(re.search(r"of the teacher's ([\d.]+)\)", out)[1])
    assert floor == pytest.approx(0.99 * teacher, abs=1e-4)
    # every smaller student misses the floor
    scores = [score for _, score in on_size]
    assert scores[2] >= floor > max(scores[:2])
    assert f"chosen: {CHOSEN}, the smallest student within the budget\n" in out
    assert "\nteacher: LightGBM, 10 trees\n  accuracy " in out
    assert "left untried by --patience 2 (--patience none tries them): 7 larger" in out


def test_compress_progress_goes_to_stderr(compressed):
    """The search's lines and the notes are on stderr, none on stdout."""
    _, out, err = compressed
    assert "left out" not in err  # every row has a target
    assert "features: 2 numeric, 2 categorical; 300 rows" in err
    assert "[CompressedClassifierCV] teacher: score" in err
    assert f"[CompressedClassifierCV] chosen: {CHOSEN}" in err
    assert "saved the model to" in err
    assert "CompressedClassifierCV" not in out


def test_compressed_model_predicts_evaluates_and_exports(compressed, capsys):
    """The saved file is a model file of fit's kind: predict, evaluate and
    export take it, and it holds the chosen student."""
    files, _, _ = compressed
    bundle = load_bundle(str(files["model"]))
    assert bundle["contents"] == "distiller"
    assert bundle["settings"]["command"] == "compress"
    assert bundle["settings"]["student"] == CHOSEN
    assert bundle["features"] == ["x1", "x2", "color", "flag"]
    assert bundle["model"][-1].student_[-1].max_depth == 3
    code, out, err = run(capsys, "predict", files["model"], files["data"])
    assert code == 0, err
    predictions = pd.read_csv(io.StringIO(out))
    assert predictions.shape == (300, 1)
    assert set(predictions["label"]) <= {"yes", "no"}
    code, out, err = run(capsys, "evaluate", files["model"], files["data"], "-q")
    assert code == 0, err
    assert "Distillation report (classification, 300 rows)" in out
    code, _, err = run(
        capsys,
        *["export", files["model"], "--format", "c"],
        *["--out", files["folder"] / "small.c"],
    )
    assert code == 0, err
    assert "DecisionTreeClassifier" in err


def test_compress_saves_the_plots(compressed):
    """--plots writes the frontier against size and against time, as PNG."""
    files, _, err = compressed
    for name in ("compression_size.png", "compression_latency.png"):
        path = files["folder"] / "plots" / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert str(path) in err


def test_existing_model_file_needs_force(compressed, capsys):
    """An existing --out is refused before anything is read, and kept."""
    files, _, _ = compressed
    before = files["model"].read_bytes()
    code, _, err = run(
        capsys,
        *["compress", files["folder"] / "missing.csv", "--target", "label"],
        *["--out", files["model"]],
    )
    assert code == 2
    assert last_line(err) == (
        f"skdistill compress: error: {files['model']} exists; pass --force to "
        "overwrite it"
    )
    assert files["model"].read_bytes() == before


def test_no_student_within_the_budget(tmp_path):
    """A budget no student meets: the table of every student tried, then the
    error naming the budget and the closest students; no model file, but the
    plots of what was tried."""
    data = write(tmp_path, classification_table(n=300))
    model = tmp_path / "small.skops"
    code, out, err = _main(
        *["compress", data, "--target", "label", "--drop", "id"],
        *["--max-size", "100", "--out", model, "--plots", tmp_path / "plots"],
        *["--no-onnx", "-q", *QUICK],
    )
    assert code == 1
    assert out.startswith("Compression: all 5 students tried")
    assert len(_table_rows(out)) == 5
    assert not any(chosen for chosen, _, _, _ in _table_rows(out))
    assert "chosen:" not in out
    message = last_line(err)
    assert message.startswith(
        "skdistill compress: error: no student meets the budget, size at most "
        f"100 B (--max-size): the best is {CHOSEN} (accuracy 0.8800, "
    )
    assert "the smallest is tree[max_depth=1] (accuracy 0.6900, 2.96 kB, " in message
    assert message.endswith(
        "Loosen the budget, or try more students (--ladders, --patience none); "
        "the table lists every student tried"
    )
    assert not model.exists()
    assert files_in(tmp_path / "plots") == [
        "compression_latency.png",
        "compression_size.png",
    ]


def test_json_output_of_a_regression(tmp_path):
    """--json: every student tried, the frontier, the choice and the teacher;
    a regression is scored by R² and gets regressors."""
    data = write(tmp_path, regression_table(n=200))
    code, out, err = _main(
        *["compress", data, "--target", "price", "--max-size", "5KB", "--json"],
        *["--no-onnx", "-q", *QUICK],
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["task"] == "regression"
    assert result["scoring"] == "r2"
    assert result["budget"]["max_size_bytes"] == 5000
    assert result["budget"]["resolved_min_score"] is None
    students = result["students"]
    assert [s["ladder"] for s in students] == ["tree"] * len(students)
    assert all(s["onnx_size_bytes"] is None for s in students)  # --no-onnx
    # with a size ceiling alone: the best score within it
    within = [s for s in students if s["size_bytes"] <= 5000]
    best = max(within, key=lambda s: s["score"])
    assert result["chosen"] == best["student"]
    assert [s["student"] for s in students if s["chosen"]] == [best["student"]]
    assert result["chosen_as"] == "the best-scoring student within the budget"
    assert any("size" in s["frontier"] for s in students)
    assert result["teacher"]["name"] == "LightGBM, 10 trees"
    assert result["saved_model"] is None


def test_compress_a_fitted_teacher(tmp_path, capsys):
    """--teacher-model: the teacher of a model file is distilled, never refit;
    its target is the default, and --teacher does not apply."""
    data = write(tmp_path, classification_table(n=300))
    teacher = tmp_path / "teacher.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--drop", "id", "--out", teacher],
        *["--test-size", "0", "--n-estimators", "10", "--n-jobs", "1", "-q"],
    )
    assert code == 0, err
    code, _, err = run(
        capsys, "compress", data, "--teacher-model", teacher, "--teacher", "lgbm"
    )
    assert code == 2
    assert last_line(err) == (
        "skdistill compress: error: --teacher does not apply with --teacher-model: "
        "its teacher is fitted already; drop --teacher"
    )
    model = tmp_path / "student.skops"
    code, out, err = run(
        capsys,
        *["compress", data, "--teacher-model", teacher, "--min-score", "0.85"],
        *["--out", model, "--student-only", "--no-onnx", *SEARCH],
    )
    assert code == 0, err
    assert f"teacher: lgbm of {teacher}, fitted already\n" in out
    assert "budget: accuracy at least 0.85 (--min-score)\n" in out
    assert "is fitted already: it is never refit" in err
    bundle = load_bundle(str(model))
    assert bundle["contents"] == "student"
    assert bundle["target"] == "label"
    assert bundle["features"] == ["x1", "x2", "color", "flag"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2048", 2048),
        ("50KB", 50_000),
        ("50kB", 50_000),
        ("50 kB", 50_000),
        ("50kb", 50_000),
        ("1.5MB", 1_500_000),
        ("64KiB", 65_536),
        ("1 MiB", 1_048_576),
        ("2GB", 2e9),
        ("100 bytes", 100),
        ("1e3B", 1000),
    ],
)
def test_size_values(text, expected):
    """Sizes: a bare number is bytes, KB counts 1000s and KiB 1024s."""
    assert size_bytes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10us", 1e-5),
        ("10µs", 1e-5),  # the micro sign
        ("10μs", 1e-5),  # the Greek mu
        ("10 us", 1e-5),
        ("0.5ms", 5e-4),
        ("1e-5s", 1e-5),
        ("250ns", 2.5e-7),
        ("2s", 2.0),
    ],
)
def test_latency_values(text, expected):
    """Times need a unit: s, ms, us (or µs), ns."""
    assert latency_seconds(text) == expected


@pytest.mark.parametrize("text, expected", [("0.99", 0.99), ("99%", 0.99), ("1", 1)])
def test_keep_values(text, expected):
    """--keep is a share, or a percentage."""
    assert keep_share(text) == pytest.approx(expected, rel=1e-12)


SIZE_HELP = "such as 50KB, 1.5MB or 2048 (KB = 1000 bytes, KiB = 1024)"
TIME_HELP = "with its unit (s, ms, us or µs, ns), such as 10us, 0.5ms or 1e-5s"


@pytest.mark.parametrize(
    "option, message",
    [
        (
            ["--max-size", "50XB"],
            f"argument --max-size: must be a size in bytes, {SIZE_HELP}, got '50XB'",
        ),
        (
            ["--max-size", "KB"],
            f"argument --max-size: must be a size in bytes, {SIZE_HELP}, got 'KB'",
        ),
        (
            ["--max-size", "0KB"],
            "argument --max-size: must be greater than 0, got '0KB'",
        ),
        (
            ["--max-size", "-5"],
            "argument --max-size: must be greater than 0, got '-5'",
        ),
        (
            ["--max-latency", "10"],
            f"argument --max-latency: must be a time {TIME_HELP}, got '10'",
        ),
        (
            ["--max-latency", "10 parsecs"],
            f"argument --max-latency: must be a time {TIME_HELP}, got '10 parsecs'",
        ),
        (
            ["--max-latency", "0us"],
            "argument --max-latency: must be greater than 0, got '0us'",
        ),
        (
            ["--keep", "1.5"],
            "argument --keep: must be a share of the teacher's score above 0 and "
            "at most 1, such as 0.99 or 99%, got '1.5'",
        ),
        (
            ["--keep", "high"],
            "argument --keep: must be a share of the teacher's score above 0 and "
            "at most 1, such as 0.99 or 99%, got 'high'",
        ),
        (
            ["--ladders", "tree,tres_big"],
            "argument --ladders: unknown ladder 'tres_big' (the ladders: "
            + ", ".join(LADDERS)
            + ")",
        ),
        (
            ["--ladders", "lgbm_8_leave"],
            "argument --ladders: unknown ladder 'lgbm_8_leave'; did you mean "
            "'lgbm_8_leaves', 'lgbm_4_leaves' or 'lgbm_32_leaves'? (the ladders: "
            + ", ".join(LADDERS)
            + ")",
        ),
        (
            ["--scoring", "acuracy"],
            "argument --scoring: unknown scorer 'acuracy'; did you mean "
            "'accuracy' or 'top_k_accuracy'?",
        ),
        (
            ["--patience", "0"],
            "argument --patience: must be 'none' or an integer of at least 1, got '0'",
        ),
        (["--cv", "1"], "argument --cv: must be an integer of at least 2, got '1'"),
        (
            ["--max-latency", "10us", "--latency-repeats", "0"],
            "--max-latency needs the students' prediction times, but "
            "--latency-repeats 0 times nothing; give --latency-repeats 1 or "
            "more, or drop --max-latency",
        ),
        (["--export", "c"], "--export applies to the saved model: add --out MODEL"),
        (
            ["--trust-untrusted-types"],
            "--trust-untrusted-types loads --teacher-model TEACHER; drop it, or "
            "give --teacher-model",
        ),
    ],
)
def test_bad_option_values(tmp_path, capsys, option, message):
    """Wrong values are usage errors (exit status 2) naming the option, with
    an example of a right one; nothing is read."""
    code, _, err = run(
        capsys, "compress", tmp_path / "missing.csv", "--target", "y", *option
    )
    assert code == 2
    assert message in last_line(err)


def test_help(capsys):
    """--help describes the budget and its units."""
    code, out, _ = run(capsys, "compress", "--help")
    assert code == 0
    assert out.startswith("usage: skdistill compress")
    assert "50KB (50,000 bytes), 1.5MB, 64KiB (65,536 bytes)" in " ".join(out.split())


def test_format_size_uses_thousands():
    """The table's sizes count kB as 1000 bytes, as --max-size does."""
    assert [format_size(n) for n in (999, 1000, 2962, 50_000, 1.5e6, np.nan)] == [
        "999 B",
        "1.00 kB",
        "2.96 kB",
        "50.0 kB",
        "1.50 MB",
        "-",
    ]


def test_no_student_message_names_each_closest_student_once():
    """A student that is both the best and the smallest is named once."""
    search = SimpleNamespace(
        teacher_score_=0.9,
        cv_results_={
            "mean_test_score": np.array([0.80, 0.70]),
            "size_bytes": np.array([1000.0, 2000.0]),
            "predict_time_1row": np.array([2e-3, 1e-3]),
            "student_name": np.array(["small", "fast"], dtype=object),
        },
    )
    args = Namespace(keep=0.99, min_score=None, max_size=None, max_latency=1e-5)
    assert no_student_message(search, args, "accuracy") == (
        "no student meets the budget, accuracy at least 0.8910 (--keep 0.99 of "
        "the teacher's 0.9000) and one row in at most 10.0 µs (--max-latency): "
        "the best and the smallest is small (accuracy 0.8000, 1.00 kB, 2,000 µs "
        "for one row); the fastest is fast (accuracy 0.7000, 2.00 kB, 1,000 µs "
        "for one row). Loosen the budget, or try more students (--ladders, "
        "--patience none); the table lists every student tried"
    )
