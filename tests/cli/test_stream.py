"""``--chunksize``: ``fit --teacher-model`` and ``predict`` on a file read in chunks."""

import io
import json

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from cli._helpers import (
    FAST,
    classification_table,
    files_in,
    last_line,
    regression_table,
    run,
    write,
)
from lightgbm import LGBMClassifier
from numpy.testing import assert_array_equal
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, SGDClassifier, SGDRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdistill import DistilledClassifier, DistilledRegressor, SoftLogisticRegression
from skdistill.cli import _predict, main
from skdistill.cli._persist import load_bundle
from skdistill.cli._stream import Sample, split_priority
from skdistill.preprocessing import TableSchema, make_preprocessor

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
ds = pytest.importorskip("pyarrow.dataset")

QUIET = ["--n-jobs", "1", "-q"]


def big_table(n=1200, seed=1, unlabeled=0.2):
    """Rows like the teacher's, a share of them without a target."""
    table = classification_table(n, seed=seed)
    rng = np.random.RandomState(seed)
    table.loc[rng.rand(n) < unlabeled, "label"] = np.nan
    return table


@pytest.fixture(scope="module")
def regression_teacher(tmp_path_factory):
    """A regression model file of ``skdistill fit``, and its data."""
    folder = tmp_path_factory.mktemp("regression")
    data = write(folder, regression_table(), "train.csv")
    model = folder / "teacher.skops"
    argv = ["fit", data, "--target", "price", "--test-size", "0", "--out", model]
    assert main([str(arg) for arg in [*argv, *FAST]]) == 0
    return model


def python_stream(teacher_file, chunks, model, distiller_class, **params):
    """The same distillation through the Python API: partial_fit per chunk.

    The teacher and the table schema of the model file, the student behind
    make_preprocessor's encoding (one-hot over the schema's categories),
    fitted on the first chunk and frozen; a row without a target is marked
    unlabeled.
    """
    bundle = load_bundle(str(teacher_file))
    schema, teacher = bundle["model"][0], bundle["model"][-1].teacher_
    marker = "?" if distiller_class is DistilledClassifier else -1e300
    distiller = None
    for chunk in chunks:
        X = schema.transform(chunk[bundle["features"]])
        target = chunk[bundle["target"]]
        if distiller is None:
            encoder = make_preprocessor(model, X, schema=schema)
            categories = [schema.categories_[c] for c in schema.categories_]
            if categories:
                encoder.set_params(categorical__one_hot__categories=categories)
            student = Pipeline(
                [("encode", FrozenEstimator(encoder.fit(X))), ("model", model)]
            )
            distiller = distiller_class(
                FrozenEstimator(teacher), student, unlabeled=marker, **params
            )
        if distiller_class is DistilledClassifier:
            y = target.astype(object).where(target.notna(), marker).to_numpy()
        else:
            y = pd.to_numeric(target).fillna(marker).to_numpy()
        distiller.partial_fit(X, y)
    return Pipeline([("schema", schema), ("distiller", distiller)])


@pytest.mark.parametrize(
    "student, model",
    [
        ("logreg", SoftLogisticRegression()),
        ("sgd", SGDClassifier(loss="log_loss", random_state=0)),
    ],
)
def test_fit_csv_equals_partial_fit_over_the_same_chunks(
    fitted, capsys, tmp_path, student, model
):
    """The streamed student is the Python API's partial_fit over the same chunks.

    CSV chunks of 250 rows (the last one shorter), a fifth of the targets
    empty (unlabeled, learnt from the teacher alone), no rows held out: the
    student's probabilities are equal, bit for bit.
    """
    _, teacher_file = fitted
    table = big_table()
    data = write(tmp_path, table, "big.csv")
    out = tmp_path / "streamed.skops"
    code, stdout, err = run(
        capsys,
        *["fit", data, "--teacher-model", teacher_file, "--chunksize", 250],
        *["--student", student, "--test-size", 0, "--out", out, *QUIET],
    )
    assert code == 0, err
    assert stdout.startswith("No report: --test-size 0 holds no rows out")
    bundle = load_bundle(str(out))
    expected = python_stream(
        teacher_file,
        pd.read_csv(data, dtype=str, chunksize=250),
        model,
        DistilledClassifier,
    )
    X = table.drop(columns="label")
    assert_array_equal(bundle["model"].predict_proba(X), expected.predict_proba(X))
    streaming = bundle["settings"]["streaming"]
    n_unlabeled = int(table["label"].isna().sum())
    assert streaming == {
        "teacher_model": "model.skops",
        "chunksize": 250,
        "n_chunks": 5,
        "n_rows": 1200,
        "n_training_rows": 1200,
        "n_unlabeled_rows": n_unlabeled,
        "n_held_out_rows": 0,
    }
    assert 0 < n_unlabeled < 1200
    assert bundle["model"][-1].n_batches_seen_ == 5
    assert bundle["features"] == ["x1", "x2", "color", "flag"]
    assert bundle["training_rows"]["n_rows"] == 1200
    assert bundle["settings"]["student"] == student


def test_fit_parquet_regression_equals_partial_fit(
    regression_teacher, capsys, tmp_path
):
    """Parquet record batches (pyarrow datasets) into an SGD regressor.

    Row groups of 700 rows read in batches of at most 300 give batches of
    300, 300, 100, 300, ...: the streamed student equals partial_fit over the
    batches of the same scan, and rows without a target are learnt from
    the teacher alone.
    """
    table = regression_table(2000, seed=3)
    table.loc[np.random.RandomState(3).rand(2000) < 0.3, "price"] = np.nan
    data = tmp_path / "big.parquet"
    pq.write_table(pa.Table.from_pandas(table), data, row_group_size=700)
    out = tmp_path / "streamed.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--teacher-model", regression_teacher, "--chunksize", 300],
        *["--test-size", 0, "--out", out, *QUIET],
    )
    assert code == 0, err
    batches = ds.dataset(data).to_batches(batch_size=300)
    chunks = [batch.to_pandas() for batch in batches]
    assert [len(chunk) for chunk in chunks] == [300, 300, 100] * 2 + [300, 300]
    expected = python_stream(
        regression_teacher, chunks, SGDRegressor(random_state=0), DistilledRegressor
    )
    bundle = load_bundle(str(out))
    X = table.drop(columns="price")
    assert_array_equal(bundle["model"].predict(X), expected.predict(X))
    assert bundle["settings"]["streaming"]["n_chunks"] == 8
    assert bundle["settings"]["streaming"]["n_unlabeled_rows"] == int(
        table["price"].isna().sum()
    )
    assert bundle["task"] == "regression" and bundle["target"] == "price"


def test_no_chunk_larger_than_chunksize(fitted, capsys, tmp_path, monkeypatch):
    """50,000 rows read 5,000 at a time: nothing ever handles more rows.

    pandas reads the file only in chunks (or its header), and the schema,
    the teacher and the student never see more than 5,000 rows at once;
    the report's sample of held-out rows is bounded too.
    """
    _, teacher_file = fitted
    table = classification_table(50_000, seed=5).drop(columns="id")
    data = write(tmp_path, table, "big.csv")
    seen = {"read_csv": [], "transform": [], "teacher": [], "student": []}

    def recording(kind, method):
        def wrapper(self, X, *args, **kwargs):
            seen[kind].append(len(X))
            return method(self, X, *args, **kwargs)

        return wrapper

    real_read_csv = pd.read_csv

    def read_csv(*args, **kwargs):
        seen["read_csv"].append(kwargs.get("chunksize") or kwargs.get("nrows"))
        return real_read_csv(*args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", read_csv)
    monkeypatch.setattr(
        TableSchema, "transform", recording("transform", TableSchema.transform)
    )
    monkeypatch.setattr(
        LGBMClassifier,
        "predict_proba",
        recording("teacher", LGBMClassifier.predict_proba),
    )
    monkeypatch.setattr(
        SoftLogisticRegression,
        "partial_fit_soft_targets",
        recording("student", SoftLogisticRegression.partial_fit_soft_targets),
    )
    out = tmp_path / "streamed.skops"
    code, stdout, err = run(
        capsys,
        *["fit", data, "--teacher-model", teacher_file, "--chunksize", 5000],
        *["--test-size", 0.01, "--out", out, "--json", *QUIET],
    )
    assert code == 0, err
    assert seen["read_csv"] == [0, 5000]  # the header, then the chunks
    assert max(seen["transform"]) <= 5000
    assert max(seen["teacher"]) <= 5000
    assert len(seen["student"]) == 10 and max(seen["student"]) <= 5000
    streaming = load_bundle(str(out))["settings"]["streaming"]
    held_out = streaming["n_held_out_rows"]
    assert 350 < held_out < 650  # 1% of 50,000
    assert sum(seen["student"]) == 50_000 - held_out
    report = json.loads(stdout)
    assert report["streaming"]["n_report_rows"] == held_out
    assert report["n_samples"] == held_out


def test_held_out_rows_do_not_depend_on_the_chunk_size(fitted, capsys, tmp_path):
    """The split hashes each row: the same rows are held out whatever --chunksize.

    The report is computed on them, with the teacher's figures (which do not
    depend on the student) the same; the student is not compared with a
    baseline.
    """
    _, teacher_file = fitted
    data = write(tmp_path, big_table(900, unlabeled=0), "big.csv")
    results = []
    for chunksize in (100, 333):
        out = tmp_path / f"streamed{chunksize}.skops"
        code, stdout, err = run(
            capsys,
            *["fit", data, "--teacher-model", teacher_file, "--chunksize", chunksize],
            *["--out", out, "--json", *QUIET],
        )
        assert code == 0, err
        results.append(json.loads(stdout))
    first, second = results
    assert first["streaming"]["n_held_out_rows"] > 100  # 20% of 900
    for key in ("n_held_out_rows", "n_training_rows", "n_report_rows"):
        assert first["streaming"][key] == second["streaming"][key]
    quality = ("accuracy", "log_loss", "roc_auc")
    teacher = [{k: r["models"]["teacher"][k] for k in quality} for r in results]
    assert teacher[0] == teacher[1]
    assert set(first["models"]) == {"teacher", "distilled"}
    assert first["saved_model"] == {
        "trained_on": "training split",
        "n_rows": first["streaming"]["n_training_rows"],
        "contents": "distiller",
    }


def test_sample_keeps_the_smallest_priorities_in_file_order():
    """A bottom-k sample: the same rows however they arrive in chunks."""
    rows = pd.DataFrame({"a": np.arange(100)})
    priority = np.random.RandomState(0).rand(100)
    expected = np.sort(np.argsort(priority)[:7])
    for size in (1, 13, 100):
        sample = Sample(7)
        for start in range(0, 100, size):
            part = slice(start, start + size)
            sample.add(rows[part], priority[part], np.arange(100)[part])
        assert sample.in_file_order()["a"].tolist() == expected.tolist()
    twice = pd.DataFrame({"x": ["1", "1", "2"]})
    drawn = split_priority(twice, 0)
    assert drawn[0] == drawn[1] != drawn[2]
    assert not np.array_equal(drawn, split_priority(twice, 1))


def test_progress_bar_on_stderr(fitted, capsys, tmp_path):
    """--progress shows tqdm's bar on stderr even off a terminal; stdout is clean.

    Without --progress (stderr is not a terminal here) there is no bar;
    -q prints nothing; --verbose without a bar prints a line per chunk.
    """
    _, teacher_file = fitted
    data = write(tmp_path, big_table(600), "big.csv")
    common = ["fit", data, "--teacher-model", teacher_file, "--chunksize", 200]
    common += ["--n-jobs", "1", "--out", tmp_path / "m.skops", "--force"]
    code, stdout, err = run(capsys, *common, "--progress")
    assert code == 0
    assert "distilling: 100%|" in err and "600/600" in err and "rows/s" in err
    assert "fidelity 0." in err
    assert "%|" not in stdout
    assert stdout.startswith("Distillation report (classification")
    code, _, err = run(capsys, *common)
    assert code == 0 and "%|" not in err
    assert "reading 600 rows of" in err and "200 at a time" in err
    code, _, err = run(capsys, *common, "-q")
    assert code == 0 and err == ""
    code, _, err = run(capsys, *common, "--verbose")
    assert code == 0
    assert "chunk 3: 600 rows read, fidelity so far 0." in err


def test_every_held_out_row_unlabeled(fitted, capsys, tmp_path):
    """A file without any target value: learnt from the teacher alone, no report."""
    _, teacher_file = fitted
    table = big_table(400, unlabeled=1.0)
    data = write(tmp_path, table, "unlabeled.csv")
    out = tmp_path / "m.skops"
    code, stdout, err = run(
        capsys,
        *["fit", data, "--teacher-model", teacher_file, "--chunksize", 150],
        *["--out", out, *QUIET],
    )
    assert code == 0, err
    streaming = load_bundle(str(out))["settings"]["streaming"]
    assert streaming["n_unlabeled_rows"] == streaming["n_training_rows"] > 250
    assert stdout.strip() == (
        f"No report: none of the {streaming['n_held_out_rows']:,} held-out rows "
        "has a value of the target 'label', so the student's quality cannot be "
        "measured on them."
    )


def test_streamed_model_file_works_with_every_command(fitted, capsys, tmp_path):
    """evaluate, predict and export take the streamed model file.

    --student-only keeps the schema, the frozen encoding and the student;
    --export c writes its C source.
    """
    data, teacher_file = fitted
    big = write(tmp_path, big_table(500), "big.csv")
    out = tmp_path / "m.skops"
    code, _, err = run(
        capsys,
        *["fit", big, "--teacher-model", teacher_file, "--chunksize", 200],
        *["--out", out, *QUIET],
    )
    assert code == 0, err
    code, stdout, err = run(capsys, "evaluate", out, data)
    assert code == 0, err
    assert "teacher" in stdout and "distilled" in stdout
    code, stdout, _ = run(capsys, "predict", out, data)
    assert code == 0 and len(pd.read_csv(io.StringIO(stdout))) == 150
    code, _, err = run(
        capsys, "export", out, "--format", "c", "--out", tmp_path / "m.c"
    )
    assert code == 0, err
    alone = tmp_path / "alone.skops"
    code, _, err = run(
        capsys,
        *["fit", big, "--teacher-model", teacher_file, "--chunksize", 200],
        *["--out", alone, "--student-only", "--export", "c", *QUIET],
    )
    assert code == 0, err
    assert (tmp_path / "alone.c").exists()
    student = load_bundle(str(alone))["model"]
    assert [name for name, _ in student.steps] == ["schema", "encode", "model"]
    X = classification_table().drop(columns=["id", "label"])
    assert_array_equal(
        student.predict_proba(X), load_bundle(str(out))["model"].predict_proba(X)
    )


def test_teacher_from_a_skops_file_of_a_fitted_pipeline(capsys, tmp_path):
    """A skops file of a fitted scikit-learn Pipeline: the schema from the first chunk.

    The teacher takes the typed table (numbers, categories); the target
    must be named; the model file records the teacher's class. (No missing
    values: a frozen Pipeline's tags refuse NaN, see the report.)
    """
    train = classification_table(300, seed=7).dropna()
    X = train.drop(columns=["id", "label"])
    teacher = make_pipeline(
        make_preprocessor(LogisticRegression(), X), LogisticRegression()
    ).fit(X, train["label"])
    teacher_file = tmp_path / "teacher.skops"
    sio.dump(teacher, teacher_file)
    big = classification_table(800, seed=8).dropna()
    big.loc[::5, "label"] = np.nan  # unlabeled rows
    data = write(tmp_path, big, "big.csv")
    out = tmp_path / "m.skops"
    argv = ["fit", data, "--teacher-model", teacher_file, "--chunksize", 300]
    code, _, err = run(capsys, *argv, "--out", out, *QUIET)
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: --target: give the column of DATA to predict "
        f"({teacher_file} is not a model file of 'skdistill fit', which would "
        "name it)"
    )
    code, _, err = run(
        capsys, *argv, "--target", "label", "--drop", "id", "--out", out, *QUIET
    )
    assert code == 0, err
    bundle = load_bundle(str(out))
    assert bundle["settings"]["teacher"] == "Pipeline"
    assert bundle["features"] == ["x1", "x2", "color", "flag"]
    assert bundle["model"][-1].training_fidelity_ > 0.9
    assert bundle["model"][0].categories_["color"] == ["blue", "green", "red"]


def test_predict_in_chunks_equals_predict_in_memory(fitted, capsys, tmp_path):
    """predict --chunksize writes the same CSV as predict on the whole file.

    To a file and to stdout, with --proba and --id-column, from CSV, a
    Parquet file or a folder of Parquet files.
    """
    data, model = fitted
    argv = ["predict", model, data, "--proba", "--id-column", "id"]
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert run(capsys, *argv, "-o", whole)[0] == 0
    code, _, err = run(capsys, *argv, "-o", chunked, "--chunksize", 40, "--progress")
    assert code == 0
    assert "predicting: 100%|" in err and "150/150" in err
    assert chunked.read_bytes() == whole.read_bytes()
    code, stdout, _ = run(capsys, *argv, "--chunksize", 7)
    assert code == 0 and stdout.encode() == whole.read_bytes()
    parquet = tmp_path / "data.parquet"
    pd.read_csv(data).to_parquet(parquet)
    code, stdout, _ = run(capsys, "predict", model, parquet, "--chunksize", 64)
    assert code == 0
    in_memory = run(capsys, "predict", model, data)[1]
    assert stdout == in_memory
    folder = tmp_path / "parts"  # a Parquet dataset: a folder of files
    folder.mkdir()
    table = pd.read_csv(data)
    table[:70].to_parquet(folder / "part-0.parquet")
    table[70:].to_parquet(folder / "part-1.parquet")
    code, stdout, _ = run(capsys, "predict", model, folder, "--chunksize", 64)
    assert code == 0 and stdout == in_memory


def test_predict_teacher_soft_labels(fitted, capsys, tmp_path):
    """predict --teacher --proba writes the teacher's probabilities, in chunks too."""
    data, model = fitted
    bundle = load_bundle(str(model))
    table = pd.read_csv(data, dtype=str).drop(columns="label")
    typed = bundle["model"][0].transform(table[bundle["features"]])
    teacher = bundle["model"][-1].teacher_
    for extra in ([], ["--chunksize", 32]):
        rows = write(tmp_path, table, "rows.csv")
        code, stdout, _ = run(
            capsys, "predict", model, rows, "--teacher", "--proba", *extra
        )
        assert code == 0
        output = pd.read_csv(io.StringIO(stdout))
        assert list(output.columns) == ["label", "proba_no", "proba_yes"]
        assert_array_equal(output["label"], teacher.predict(typed))
        np.testing.assert_allclose(
            output[["proba_no", "proba_yes"]], teacher.predict_proba(typed), rtol=1e-15
        )


def test_predict_failure_leaves_no_file(fitted, capsys, tmp_path, monkeypatch):
    """A failure after some chunks were written leaves no output, no temporary file."""
    data, model = fitted
    real, calls = _predict._predictions, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(_predict, "_predictions", failing)
    output = tmp_path / "out" / "p.csv"
    output.parent.mkdir()
    code, _, err = run(capsys, "predict", model, data, "--chunksize", 20, "-o", output)
    assert code == 1
    assert "RuntimeError: boom" in last_line(err)
    assert files_in(output.parent) == []


def _student_only(fitted, tmp_path):
    data, _ = fitted
    path = tmp_path / "alone.skops"
    argv = ["fit", data, "--target", "label", "--drop", "id", "--out", path]
    assert main([str(a) for a in [*argv, "--student-only", *FAST]]) == 0
    return path


def error_cases(fitted, regression_teacher, tmp_path):
    """(argv, exit code, message) of each mistake."""
    data, teacher = fitted
    big = write(tmp_path, big_table(300), "big.csv")
    out = tmp_path / "m.skops"

    def streamed(data, teacher_file, *extra):
        chunked = ["--chunksize", 100, "--out", out, *extra]
        return ["fit", data, "--teacher-model", teacher_file, *chunked]

    stream = streamed(big, teacher)
    no_x2 = write(tmp_path, big_table(300).drop(columns="x2"), "no_x2.csv")
    no_label = write(tmp_path, big_table(300).drop(columns="label"), "nolabel.csv")
    odd = big_table(300)
    odd.loc[5, "label"] = "maybe"
    odd = write(tmp_path, odd, "odd.csv")
    header = tmp_path / "header.csv"
    header.write_text("x1,x2,color,flag,label\n")
    not_skops = tmp_path / "t.skops"
    not_skops.write_text("a,b\n")
    untrusted = tmp_path / "untrusted.skops"
    sio.dump(FunctionTransformer(json.dumps), untrusted)
    clusters = tmp_path / "kmeans.skops"
    sio.dump(KMeans(2, n_init=1, random_state=0).fit(np.eye(4)), clusters)
    unfitted = tmp_path / "unfitted.skops"
    sio.dump(LogisticRegression(), unfitted)
    usage = 2
    return [
        (
            ["fit", big, "--chunksize", 100, "--target", "label", "--out", out],
            usage,
            "--chunksize distils a fitted teacher over DATA read in chunks: give "
            "it with --teacher-model TEACHER (a model file of 'skdistill fit', "
            "such as one fit on a sample of DATA: skdistill fit SAMPLE.csv "
            "--target COLUMN --out teacher.skops), or drop --chunksize to fit a "
            "teacher and a student on DATA in memory",
        ),
        (
            ["fit", big, "--teacher-model", teacher, "--out", out],
            usage,
            "--teacher-model distils its fitted teacher over DATA read in chunks: "
            "give the rows per chunk with --chunksize N (such as 50000)",
        ),
        (
            ["fit", big, "--teacher-model", teacher, "--chunksize", 0, "--out", out],
            usage,
            "argument --chunksize: must be at least 1, got 0",
        ),
        (
            [*stream, "--teacher-cv", 5],
            usage,
            "--teacher-cv does not apply with --teacher-model: its teacher is "
            "fitted already and the student learns DATA chunk by chunk; drop "
            "--teacher-cv",
        ),
        (
            ["fit", big, "--target", "label", "--out", out, "--progress"],
            usage,
            "--progress shows the progress of --chunksize: add --chunksize N, or "
            "drop --progress",
        ),
        (
            [*stream, "--progress", "-q"],
            usage,
            "--progress shows a progress bar and --quiet hides every progress "
            "line: give one of them",
        ),
        (
            ["fit", big, "--target", "label", "--out", out, "--trust-untrusted-types"],
            usage,
            "--trust-untrusted-types loads --teacher-model TEACHER; drop it, or "
            "give --teacher-model and --chunksize",
        ),
        (
            ["fit", big, "--target", "label", "--out", out, "--student", "mlp"],
            usage,
            "--student mlp learns chunk by chunk: a student of --chunksize (with "
            "--teacher-model); the students of a fit in memory are: tree, logreg, "
            "ridge, linear, lgbm-small",
        ),
        (
            ["fit", big, "--out", out],
            usage,
            "--target COLUMN is required: the column to predict (it defaults to "
            "the teacher's only with --teacher-model)",
        ),
        (
            streamed(big, tmp_path / "nope.skops"),
            1,
            f"--teacher-model: no such file: {tmp_path / 'nope.skops'}",
        ),
        (
            streamed(big, not_skops),
            1,
            f"--teacher-model: {not_skops} is not a skops file (give a model file "
            "of 'skdistill fit', or a skops file of a fitted scikit-learn "
            "classifier or regressor): ",
        ),
        (
            streamed(big, untrusted),
            1,
            f"--teacher-model: {untrusted} holds types that skdistill does not "
            "trust: json.dumps. Loading them could run code from the file. Pass "
            f"--trust-untrusted-types only if you trust the source of {untrusted}.",
        ),
        (
            streamed(big, untrusted, "--trust-untrusted-types"),
            1,
            f"--teacher-model: {untrusted} holds a FunctionTransformer, not a "
            "model; give a model file of 'skdistill fit', or a skops file of a "
            "fitted scikit-learn classifier or regressor",
        ),
        (
            streamed(big, clusters),
            1,
            f"--teacher-model: {clusters} holds a KMeans, which is neither a "
            "classifier nor a regressor; give a model file of 'skdistill fit', or a "
            "skops file of a fitted scikit-learn classifier or regressor",
        ),
        (
            streamed(big, unfitted),
            1,
            f"--teacher-model: {unfitted} holds a LogisticRegression that is not "
            "fitted; save it after fitting it",
        ),
        (
            streamed(big, "ALONE"),
            1,
            "--teacher-model: ALONE holds a student alone (saved by 'skdistill fit "
            "--student-only'), without its teacher; give the model file saved "
            "without --student-only",
        ),
        (
            [*stream, "--task", "regression"],
            usage,
            f"--task regression: the teacher of --teacher-model {teacher} is a "
            "classification model; drop --task (the task is the teacher's), or "
            "give a regression teacher",
        ),
        (
            [*stream, "--target", "flag"],
            usage,
            f"--target 'flag': the teacher of --teacher-model {teacher} predicts "
            "'label'; drop --target (it is the teacher's), or give a teacher fit "
            "on that target",
        ),
        (
            [*stream, "--student", "tree"],
            usage,
            "--student: the student 'tree' cannot learn batch by batch; with "
            "--chunksize, the students that learn chunk by chunk for "
            "classification are: logreg, sgd, mlp (default: logreg)",
        ),
        (
            streamed(big, regression_teacher, "--student", "logreg"),
            usage,
            "--student: the student 'logreg' is for classification; with "
            "--chunksize, the students that learn chunk by chunk for regression "
            "are: sgd, mlp (default: sgd)",
        ),
        (
            streamed(big, regression_teacher, "--temperature", 2),
            usage,
            "--temperature applies to classification only (a regression student "
            "learns the teacher's predictions, blended by --alpha)",
        ),
        (
            [*stream, "--drop", "x1"],
            usage,
            f"--drop: the teacher of --teacher-model {teacher} takes the column "
            "'x1'; drop only columns the teacher does not use",
        ),
        (
            streamed(no_x2, teacher),
            1,
            f"{no_x2} lacks 1 column(s) that the teacher of --teacher-model "
            f"{teacher} takes: 'x2'",
        ),
        (
            streamed(no_label, teacher),
            usage,
            f"no column 'label' (the target of --teacher-model {teacher}) in "
            f"{no_label}; a row whose target is empty is learnt from the teacher "
            "alone, but the column must be there",
        ),
        (
            streamed(odd, teacher, "--test-size", 0),
            1,
            f"{odd}, rows 1 to 100: the target 'label' holds labels that the "
            f"teacher of --teacher-model {teacher} does not know: 'maybe' (its "
            "classes: 'no', 'yes'); the student learns the teacher's classes: "
            "leave those rows out, or give a teacher fit on every class",
        ),
        (
            streamed(header, teacher),
            1,
            f"{header} has a header but no data rows",
        ),
        (
            streamed("-", teacher),
            usage,
            "--chunksize reads DATA from a file, chunk by chunk: standard input "
            "('-') cannot be; save it to a file first, or drop --chunksize to "
            "read it whole",
        ),
        (
            [*stream[:-1], teacher],
            usage,
            f"--out: {teacher} is the same file as --teacher-model {teacher}; "
            "write to another file (--force never overwrites an input)",
        ),
        (
            ["predict", "ALONE", data, "--teacher"],
            usage,
            "--teacher predicts with the teacher, but ALONE holds the student "
            "alone (saved by 'skdistill fit --student-only'); give the model file "
            "saved without --student-only, or drop --teacher",
        ),
        (
            ["predict", teacher, no_x2, "--chunksize", 50],
            1,
            f"{no_x2} lacks 1 column(s) the model was fit on: 'x2'",
        ),
        (
            ["predict", teacher, big, "--chunksize", 50, "--id-column", "ID"],
            usage,
            f"--id-column: no column 'ID' in {big}; did you mean 'id'?",
        ),
    ]


def test_every_mistake_is_one_clear_line(fitted, regression_teacher, capsys, tmp_path):
    """Each mistake: its exit code and one line naming the option and the fix."""
    alone = str(_student_only(fitted, tmp_path))
    capsys.readouterr()
    for argv, exit_code, message in error_cases(fitted, regression_teacher, tmp_path):
        argv = [alone if arg == "ALONE" else arg for arg in argv]
        message = message.replace("ALONE", alone)
        code, stdout, err = run(capsys, *argv)
        assert (code, stdout) == (exit_code, ""), (argv, err)
        command = argv[0]
        expected = f"skdistill {command}: error: {message}"
        if message.endswith(": "):  # followed by the reason of a library
            assert last_line(err).startswith(expected), (last_line(err), message)
        else:
            assert last_line(err) == expected, (last_line(err), message)
        assert not (tmp_path / "m.skops").exists()
