"""Model files: skops zips, loaded trusting only the types skdistill expects."""

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from cli._helpers import FAST, classification_table, last_line, run
from lightgbm import LGBMClassifier
from numpy.testing import assert_allclose
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdistill import DistilledClassifier
from skdistill.cli._persist import (
    BUNDLE_VERSION,
    SAVED_N_JOBS,
    ZIP_EPOCH,
    canonical_skops,
    is_trusted,
    load_bundle,
    make_bundle,
    pin_threads,
    save_bundle,
)
from skdistill.preprocessing import TableSchema


class Untrusted:
    """A type that no allow-list trusts, to put into a model file."""

    def __init__(self, note="hello"):
        self.note = note


def test_skops_round_trip_of_lightgbm_teacher_and_pipeline_student(tmp_path):
    """A DistilledClassifier with a LightGBM teacher round-trips, types trusted."""
    X, y = classification_table()[["x2"]].assign(z=np.arange(150.0)), np.arange(150) % 3
    model = DistilledClassifier(
        LGBMClassifier(n_estimators=5, n_jobs=1, verbose=-1),
        make_pipeline(StandardScaler(), LogisticRegression()),
        teacher_cv=2,
    ).fit(X, y)
    path = tmp_path / "m.skops"
    bundle = make_bundle(model, task="classification", target="y", features=["x2"])
    save_bundle(bundle, str(path))
    assert all(is_trusted(name) for name in sio.get_untrusted_types(file=path))
    loaded = load_bundle(str(path))["model"]
    assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
    assert_allclose(loaded.teacher_.predict_proba(X), model.teacher_.predict_proba(X))


@pytest.mark.parametrize(
    "name, trusted",
    [
        ("lightgbm.basic.Booster", True),
        ("lightgbm.sklearn.LGBMClassifier", True),
        ("skdistill.DistilledClassifier", True),
        ("skdistill._classifier.DistilledClassifier", True),
        ("skdistill.preprocessing.TableSchema", True),
        ("skdistill.cli._preprocess.TableSchema", False),  # no such module
        ("sklearn.tree._tree.Tree", True),
        ("sklearn.datasets.fetch_openml", False),  # a function, not a class
        ("sklearn.no_such_module.Estimator", False),
        ("builtins.eval", False),
        ("posix.system", False),
        ("collections.Counter", False),
    ],
)
def test_is_trusted(name, trusted):
    """Only our estimator classes and a few listed types are trusted."""
    assert is_trusted(name) is trusted


def test_untrusted_types_are_refused_unless_opted_in(fitted, capsys, tmp_path):
    """A file holding a foreign type is refused with the list of types."""
    data, model = fitted
    bundle = load_bundle(str(model))
    bundle["settings"]["note"] = Untrusted()
    path = tmp_path / "untrusted.skops"
    sio.dump(bundle, path)
    type_name = f"{Untrusted.__module__}.Untrusted"

    code, out, err = run(capsys, "predict", path, data)
    assert code == 1
    assert out == ""
    assert last_line(err) == (
        f"skdistill predict: error: {path} holds types that skdistill does not "
        f"trust: {type_name}. Loading them could run code from the file. Pass "
        f"--trust-untrusted-types only if you trust the source of {path}."
    )
    code, _, err = run(capsys, "evaluate", path, data)
    assert code == 1
    assert type_name in err

    code, out, _ = run(capsys, "predict", path, data, "--trust-untrusted-types")
    assert code == 0
    assert len(pd.read_csv(io.StringIO(out))) == 150


@pytest.mark.parametrize("content", [b"a,b\n1,2\n", b"", b"PK\x03\x04garbage"])
def test_a_file_that_is_not_a_skops_file(tmp_path, capsys, content):
    """A CSV, an empty file or a broken zip is not a model file."""
    path = tmp_path / "model.skops"
    path.write_bytes(content)
    code, _, err = run(capsys, "predict", path, path)
    assert code == 1
    assert err.startswith(
        f"skdistill predict: error: {path} is not a model file of skdistill (a "
        "skops file written by 'skdistill fit')"
    )


def test_a_skops_file_that_is_not_a_model_file(tmp_path, capsys):
    """A skops file of something else than a model bundle is refused."""
    path = tmp_path / "other.skops"
    sio.dump({"hello": [1, 2]}, path)
    code, _, err = run(capsys, "evaluate", path, path)
    assert code == 1
    assert last_line(err) == (
        f"skdistill evaluate: error: {path} is not a model file of skdistill (a "
        "skops file written by 'skdistill fit')"
    )


def test_model_files_are_zip_files(fitted):
    """Model files are skops zips: a schema and no pickle."""
    _, model = fitted
    with zipfile.ZipFile(model) as archive:
        names = archive.namelist()
    assert "schema.json" in names
    assert not any(name.endswith(".pkl") for name in names)


def test_refuses_to_overwrite_without_force(fitted, capsys):
    """An existing --out file is kept unless --force."""
    data, model = fitted
    before = model.read_bytes()
    code, _, err = run(capsys, "fit", data, "--target", "label", "--out", model)
    assert code == 2
    assert last_line(err) == (
        f"skdistill fit: error: {model} exists; pass --force to overwrite it"
    )
    assert model.read_bytes() == before


def test_model_files_reference_public_paths(fitted):
    """The types a model file names: ours are few, the schema's path is public.

    A model file names the module of each class it holds (``__module__``);
    renaming one of these paths makes the files written before unloadable.
    """
    _, model = fitted
    types = sio.get_untrusted_types(file=model)
    assert all(is_trusted(name) for name in types)
    ours = {name for name in types if name.startswith("skdistill.")}
    assert ours == {
        "skdistill.DistilledClassifier",
        "skdistill.preprocessing.TableSchema",
    }
    assert type(load_bundle(str(model))["model"][0]) is TableSchema


def test_same_seed_same_bytes(tmp_path, capsys):
    """The same --random-state: byte-identical model and prediction files.

    Whatever --n-jobs fitted the model, and run after run: a model file
    records neither memory addresses, times nor thread counts.
    """
    from sklearn.datasets import load_breast_cancer

    data = tmp_path / "cancer.csv"
    load_breast_cancer(as_frame=True).frame.to_csv(data, index=False)
    models, predictions = [], []
    for run_number, n_jobs in enumerate([1, 1, 2]):
        model = tmp_path / f"model_{run_number}.skops"
        code, _, err = run(
            capsys,
            *["fit", data, "--target", "target", "--out", model, "-q"],
            *["--n-estimators", "10", "--n-jobs", n_jobs, "--random-state", "7"],
        )
        assert code == 0, err
        output = tmp_path / f"predictions_{run_number}.csv"
        code, _, err = run(capsys, "predict", model, data, "--proba", "-o", output)
        assert code == 0, err
        models.append(model.read_bytes())
        predictions.append(output.read_bytes())
    assert models[0] == models[1] == models[2]
    assert predictions[0] == predictions[1] == predictions[2]
    assert (
        load_bundle(str(tmp_path / "model_2.skops"))["model"][-1].teacher_.n_jobs == 1
    )


def test_canonical_skops_is_stable_and_loads(tmp_path):
    """Two dumps of the same object: the same bytes; shared objects stay shared."""
    shared = np.arange(5.0)
    obj = {"a": shared, "b": shared, "c": [np.ones(3), b"raw bytes"]}
    dumps = []
    for _ in range(2):
        buffer = io.BytesIO()
        sio.dump(obj, buffer, compression=zipfile.ZIP_DEFLATED)
        dumps.append(buffer.getvalue())
    assert canonical_skops(dumps[0]) == canonical_skops(dumps[1])
    path = tmp_path / "obj.skops"
    path.write_bytes(canonical_skops(dumps[0]))
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert loaded["a"] is loaded["b"]
    assert_allclose(loaded["a"], shared)
    assert loaded["c"][1] == b"raw bytes"
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_EPOCH}
        assert sorted(archive.namelist()) == ["1.npy", "2.npy", "3.bin", "schema.json"]


def test_pin_threads_keeps_the_model():
    """pin_threads: n_jobs 1 everywhere, LightGBM's record too; same predictions."""
    X = classification_table()[["x2"]].assign(z=np.arange(150.0))
    y = np.arange(150) % 2
    model = DistilledClassifier(
        LGBMClassifier(n_estimators=5, n_jobs=2, verbose=-1),
        LogisticRegression(),
        teacher_cv=None,
    ).fit(X, y)
    before = model.predict_proba(X)
    pin_threads(model)
    assert model.teacher.n_jobs == model.teacher_.n_jobs == SAVED_N_JOBS
    assert model.n_jobs is None  # None is the library's default: left alone
    booster = model.teacher_.booster_
    assert booster.params["num_threads"] == SAVED_N_JOBS
    assert "[num_threads: 1]" in booster.model_to_string()
    assert_allclose(model.predict_proba(X), before)
    assert_allclose(model.teacher_.predict_proba(X)[:, 1], booster.predict(X))


def _version_1_file(bundle, path):
    """``bundle`` written as skdistill wrote model files before version 2."""
    old = {
        key: value
        for key, value in bundle.items()
        if key not in ("contents", "training_rows")
    }
    old["format_version"] = 1
    old["settings"] = {
        key: value
        for key, value in bundle["settings"].items()
        if key not in ("refit_all", "trained_on")
    }
    sio.dump(old, path)
    return path


def test_version_1_files_are_still_read(fitted, capsys, tmp_path):
    """A model file of version 1 (no contents, no fingerprint) works everywhere.

    predict gives the same output as with the current file; evaluate gives
    the report without the training-rows warning, and no error.
    """
    data, model = fitted
    bundle = load_bundle(str(model))
    assert bundle["format_version"] == BUNDLE_VERSION == 2
    old = _version_1_file(bundle, tmp_path / "v1.skops")
    with zipfile.ZipFile(old) as archive:
        assert b'"training_rows"' not in archive.read("schema.json")
    loaded = load_bundle(str(old))
    assert loaded["contents"] == "distiller"
    assert loaded["training_rows"] is None

    outputs = []
    for path in (model, old):
        code, out, err = run(capsys, "predict", path, data, "--proba")
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1]

    code, out, err = run(capsys, "evaluate", old, data, "-q")
    assert code == 0
    assert err == ""  # no fingerprint: no warning
    assert "Distillation report (classification, 150 rows)" in out
    code, _, err = run(capsys, "evaluate", model, data, "-q")
    assert "warning" in err  # the current file has one


def test_a_newer_model_file_is_refused(fitted, capsys, tmp_path):
    """A model file of a later format version: upgrade skdistill."""
    data, model = fitted
    bundle = load_bundle(str(model))
    bundle["format_version"] = BUNDLE_VERSION + 1
    bundle["skdistill_version"] = "9.0"
    path = tmp_path / "new.skops"
    sio.dump(bundle, path)
    code, _, err = run(capsys, "predict", path, data)
    assert code == 1
    assert last_line(err) == (
        f"skdistill predict: error: {path} was written by a newer skdistill (9.0); "
        "upgrade skdistill to read it"
    )


def test_make_bundle_student_only():
    """student_only: the student's pipeline, no baseline, threads pinned."""
    X = classification_table()[["x2"]].assign(z=np.arange(150.0))
    y = np.arange(150) % 2
    model = make_pipeline(
        StandardScaler(),
        DistilledClassifier(
            LGBMClassifier(n_estimators=5, n_jobs=2, verbose=-1),
            LGBMClassifier(n_estimators=3, n_jobs=2, verbose=-1),
        ),
    ).fit(X, y)
    bundle = make_bundle(
        model,
        task="classification",
        target="y",
        features=["x2", "z"],
        baseline=model,
        student_only=True,
    )
    assert bundle["contents"] == "student"
    assert bundle["baseline"] is None
    assert bundle["training_rows"] is None
    assert [name for name, _ in bundle["model"].steps] == ["standardscaler", "student"]
    assert bundle["model"][-1] is model[-1].student_
    assert bundle["model"][-1].n_jobs == SAVED_N_JOBS
    assert_allclose(bundle["model"].predict_proba(X), model.predict_proba(X))


def test_student_only_files_reference_public_paths(tmp_path, capsys):
    """A student-only file holds no distiller and no teacher; its types are trusted."""
    data = tmp_path / "data.csv"
    classification_table().to_csv(data, index=False)
    model = tmp_path / "alone.skops"
    code, _, err = run(
        capsys,
        *["fit", data, "--target", "label", "--drop", "id", "--out", model],
        *["--student", "logreg", "--student-only", *FAST],
    )
    assert code == 0, err
    types = sio.get_untrusted_types(file=model)
    assert all(is_trusted(name) for name in types)
    assert {name for name in types if name.startswith("skdistill.")} == {
        "skdistill.preprocessing.TableSchema"
    }
    assert not any(name.startswith("lightgbm.") for name in types)
