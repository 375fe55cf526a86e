"""Adversarial tests for the scope of a run: real git repositories, no mocks of git.

Most tests call `resolve_scope` directly (fast); a few go through the real CLI with the
`tests` step only (it needs no semgrep) to check exit codes and messages end to end.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from readyterm.engine.scope import Scope, resolve_scope
from readyterm.foundation.config import Config, Timeouts
from readyterm.foundation.errors import ScopeError, ToolError
from tests.conftest import GitRepo, run_cli

CI = ("--ci", "--format", "json", "--no-staging", "--steps", "monitoring")


def scope_of(path: Path, config: Config | None = None, **kwargs: object) -> Scope:
    return resolve_scope(path, config or Config(), **kwargs)  # type: ignore[arg-type]


def ci(
    path: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*CI, str(path), *extra, env=env, timeout=60)


def assert_clean_exit(done: subprocess.CompletedProcess[str], code: int) -> None:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert "internal error" not in done.stderr


def hinted_command(message: str) -> list[str]:
    """The first `git ...` command quoted in backticks in an error message."""
    match = re.search(r"`(git [^`]+)`", message)
    assert match, message
    return shlex.split(match.group(1))


# --- what a change is -------------------------------------------------------------------


def test_committed_staged_unstaged_and_untracked_files_are_in_scope_ignored_ones_not(
    repo: GitRepo,
) -> None:
    repo.write(".gitignore", "ignored.py\nbuild/\n")
    repo.write("committed.py", "A = 1\n")
    repo.commit("feature work")
    repo.write("staged.py", "B = 2\n")
    repo.git("add", "staged.py")
    repo.write("app/settings.py", "import os\n\nDEBUG = os.environ.get('DEBUG')\n")  # unstaged
    repo.write("untracked/new.py", "C = 3\n")
    repo.write("ignored.py", "SECRET = 'x'\n")
    repo.write("build/out.py", "D = 4\n")

    scope = scope_of(repo.path)

    assert scope.mode == "diff"
    assert scope.base_ref == "main"
    assert scope.files == [
        ".gitignore",
        "app/settings.py",
        "committed.py",
        "staged.py",
        "untracked/new.py",
    ]
    assert scope.skipped == {}
    assert scope.deleted == []
    assert scope.existed_at_base == {"app/settings.py"}
    assert scope.head == repo.head
    assert scope.base == repo.git("rev-parse", "main")
    assert scope.branch == "feature"


def test_a_subfolder_path_judges_the_whole_repository_change(repo: GitRepo) -> None:
    repo.write("lib/util.py", "X = 1\n")
    repo.commit("lib")
    scope = scope_of(repo.path / "app")
    assert scope.root == repo.path.resolve()
    assert scope.files == ["lib/util.py"]


def test_all_lists_every_tracked_and_untracked_file_but_not_ignored_ones(repo: GitRepo) -> None:
    repo.write(".gitignore", "*.log\n")
    repo.write("lib/util.py", "X = 1\n")
    repo.commit("lib")
    repo.write("new.py", "Y = 2\n")
    repo.write("debug.log", "noise\n")
    (repo.path / "app" / "settings.py").unlink()  # deleted in the work tree: gone, not listed

    scope = scope_of(repo.path, whole=True)

    assert scope.mode == "all"
    assert scope.base is None and scope.base_ref is None
    assert scope.files == [".gitignore", "app/__init__.py", "lib/util.py", "new.py"]
    assert scope.deleted == []


def test_head_on_main_judges_uncommitted_changes_only(repo: GitRepo) -> None:
    repo.git("checkout", "--quiet", "main")
    repo.write("app/settings.py", "X = 2\n")
    repo.write("wip.py", "Y = 1\n")
    scope = scope_of(repo.path)
    assert scope.files == ["app/settings.py", "wip.py"]
    assert scope.base == scope.head == repo.head
    assert any("uncommitted changes only" in n for n in scope.notices), scope.notices


def test_detached_head_says_so_and_still_judges_the_change(repo: GitRepo) -> None:
    repo.write("feature.py", "A = 1\n")
    repo.commit("feature")
    repo.git("checkout", "--quiet", "--detach")
    repo.write("wip.py", "B = 1\n")

    scope = scope_of(repo.path)

    assert scope.branch is None
    assert any("detached" in n and repo.head[:12] in n for n in scope.notices), scope.notices
    assert scope.files == ["feature.py", "wip.py"]
    assert scope.base_ref == "main"


def test_a_merge_in_progress_with_a_conflict_keeps_the_conflicted_file_in_scope(
    repo: GitRepo,
) -> None:
    repo.write("app/settings.py", "A = 'feature'\n")
    repo.commit("feature edit")
    repo.git("checkout", "--quiet", "main")
    repo.write("app/settings.py", "A = 'main'\n")
    repo.commit("main edit")
    repo.git("checkout", "--quiet", "feature")
    repo.git("merge", "main", check=False)  # conflicts: stays half-merged
    assert "<<<<<<<" in (repo.path / "app/settings.py").read_text()

    scope = scope_of(repo.path, base="main")

    assert scope.files == ["app/settings.py"]


def test_a_linked_worktree_is_judged_like_its_repository(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("feature.py", "A = 1\n")
    repo.commit("feature")
    other = tmp_path / "other-worktree"
    repo.git("worktree", "add", "--quiet", "-b", "second", str(other))
    (other / "second.py").write_text("B = 2\n")

    scope = scope_of(other)

    assert scope.root == other.resolve()
    assert scope.branch == "second"
    assert scope.files == ["feature.py", "second.py"]


# --- renames and deletions --------------------------------------------------------------


def test_a_committed_rename_maps_new_to_old_and_reads_the_old_content(repo: GitRepo) -> None:
    old = "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
    repo.git("mv", "app/settings.py", "app/config.py")
    repo.commit("rename")

    scope = scope_of(repo.path)

    assert scope.files == ["app/config.py"]
    assert scope.renamed == {"app/config.py": "app/settings.py"}
    assert scope.deleted == []  # a rename is not a deletion
    assert "app/config.py" in scope.existed_at_base
    assert scope.base_content("app/config.py") == old.encode()  # byte for byte, final newline too


def test_a_staged_rename_with_edits_is_still_a_rename(repo: GitRepo) -> None:
    body = "".join(f"SETTING_{i} = os.environ['S{i}']\n" for i in range(20))
    repo.git("checkout", "--quiet", "main")
    repo.write("app/settings.py", "import os\n" + body)
    repo.commit("more settings")
    repo.git("checkout", "--quiet", "-B", "feature")
    repo.git("mv", "app/settings.py", "app/conf.py")
    repo.write("app/conf.py", "import os\n" + body + "EXTRA = 1\n")  # unstaged edit on top

    scope = scope_of(repo.path)

    assert scope.renamed == {"app/conf.py": "app/settings.py"}
    assert scope.files == ["app/conf.py"]
    assert scope.base_content("app/conf.py") == ("import os\n" + body).encode()


def test_deletions_are_listed_as_deleted_and_not_scanned(repo: GitRepo) -> None:
    repo.git("rm", "--quiet", "app/__init__.py")
    repo.commit("drop package marker")
    (repo.path / "app" / "settings.py").unlink()  # deleted, not staged

    scope = scope_of(repo.path)

    assert scope.files == []
    assert scope.all_paths == []
    assert scope.deleted == ["app/__init__.py", "app/settings.py"]
    assert scope.base_content("app/settings.py") is None  # not in scope: no baseline


def test_base_content_is_none_for_a_new_file_and_the_old_bytes_for_an_edit(repo: GitRepo) -> None:
    repo.write("new.py", "N = 1\n")
    repo.write("app/settings.py", "CHANGED = 1")
    scope = scope_of(repo.path)
    assert scope.base_content("new.py") is None
    assert (
        scope.base_content("app/settings.py")
        == b"import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
    )


# --- awkward files ----------------------------------------------------------------------


def test_binary_huge_empty_and_non_utf8_content(repo: GitRepo) -> None:
    config = Config(max_file_bytes=1000)
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    repo.write("huge.py", "X = 1\n" * 200)  # 1200 bytes
    repo.write("limit.py", "#" * 999 + "\n")  # exactly max_file_bytes: still scanned
    repo.write("empty.py", "")
    repo.write("latin1.py", "NAME = 'caf\xe9'\n".encode("latin-1"))
    repo.write("utf16.txt", "hello".encode("utf-16"))  # NUL bytes: treated as binary

    scope = scope_of(repo.path, config)

    assert scope.files == ["empty.py", "latin1.py", "limit.py"]
    assert scope.skipped == {
        "huge.py": "larger than max_file_bytes (1200 > 1000)",
        "logo.png": "binary",
        "utf16.txt": "binary",
    }
    assert scope.all_paths == sorted([*scope.files, *scope.skipped])


ODD_NAMES = [
    "with space.py",
    "ünïcødé/файл.py",
    "new\nline.py",
    "-rf.py",
    "--all.py",
    "tab\tname.py",
    '"quoted".py',
    "back\\slash.py",
    "colon:name.py",
    "star*.py",
    "replacement\ufffdchar.py",  # valid UTF-8 that merely contains U+FFFD
]


@pytest.mark.parametrize("name", ODD_NAMES, ids=lambda n: n.encode("unicode_escape").decode())
def test_odd_file_names_are_listed_verbatim_and_their_base_content_read(
    repo: GitRepo, name: str
) -> None:
    repo.git("checkout", "--quiet", "main")
    repo.write(name, "OLD = 1\n")
    repo.commit("odd name on main")
    repo.git("checkout", "--quiet", "-B", "feature")
    repo.write(name, "NEW = 2\n")
    repo.write("other " + name.replace("/", "_"), "X = 1\n")

    scope = scope_of(repo.path)

    assert scope.files == sorted([name, "other " + name.replace("/", "_")])
    assert scope.skipped == {}
    assert scope.base_content(name) == b"OLD = 1\n"


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_reason(repo: GitRepo) -> None:
    raw = os.fsencode(str(repo.path)) + b"/caf\xe9.py"
    with open(raw, "wb") as handle:
        handle.write(b"X = 1\n")
    repo.write("fine.py", "Y = 1\n")

    scope = scope_of(repo.path)

    assert scope.files == ["fine.py"]
    [(name, reason)] = scope.skipped.items()
    assert os.fsencode(name) == b"caf\xe9.py"
    assert reason == "file name is not valid UTF-8"
    assert scope.digest().startswith("sha256:")  # digesting the odd name does not crash


def test_odd_names_through_the_cli(repo: GitRepo) -> None:
    repo.write("new\nline.py", "Y = 1\n")
    repo.write("-rf.py", "Z = 1\n")
    repo.write("ünï.py", "Z = 1\n")

    done = ci(repo.path)

    assert_clean_exit(done, 0)
    scope = json.loads(done.stdout)["scope"]
    assert scope["files"] == ["-rf.py", "new\nline.py", "ünï.py"]


def test_an_undecodable_name_through_the_cli_still_gives_valid_utf8_json(repo: GitRepo) -> None:
    with open(os.fsencode(str(repo.path)) + b"/caf\xe9.py", "wb") as handle:
        handle.write(b"X = 1\n")
    done = subprocess.run(
        [sys.executable, "-m", "readyterm", *CI, str(repo.path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.decode("utf-8"))  # strict: the contract is UTF-8 JSON
    assert [s["reason"] for s in result["scope"]["skipped"]] == ["file name is not valid UTF-8"]


def test_symlinks_are_listed_but_never_followed(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("SECRET = 'outside the repository'\n")
    (repo.path / "link.py").symlink_to(outside)
    (repo.path / "dangling.py").symlink_to(tmp_path / "missing.py")
    (repo.path / "linkdir").symlink_to(tmp_path, target_is_directory=True)

    scope = scope_of(repo.path)

    assert scope.files == []
    assert scope.skipped == {
        "dangling.py": "symbolic link",
        "link.py": "symbolic link",
        "linkdir": "symbolic link",
    }


def test_fifos_and_other_special_files_are_skipped_without_blocking(repo: GitRepo) -> None:
    os.mkfifo(repo.path / "pipe.py")
    repo.write("real.py", "X = 1\n")
    scope = scope_of(repo.path)  # opening a FIFO to sniff it would block forever
    assert "pipe.py" not in scope.files
    assert "real.py" in scope.files


def test_a_fifo_in_a_plain_folder_does_not_hang_the_walk(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    os.mkfifo(folder / "pipe")
    (folder / "a.py").write_text("X = 1\n")
    scope = scope_of(folder)
    assert scope.files == ["a.py"]
    assert scope.skipped == {"pipe": "not a regular file"}


# --- submodules and nested repositories -------------------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> GitRepo:
    lib = GitRepo(tmp_path / "library")
    lib.path.mkdir()
    lib.git("init", "--quiet", "--initial-branch=main")
    lib.write("lib.py", "def helper():\n    return 1\n")
    lib.commit("library")
    return lib


def test_a_submodule_is_listed_but_not_scanned(repo: GitRepo, library: GitRepo) -> None:
    repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "--quiet",
        str(library.path),
        "vendor/lib",
    )
    repo.commit("add submodule")

    diff = scope_of(repo.path)
    assert diff.files == [".gitmodules"]
    assert diff.skipped == {"vendor/lib": "submodule or nested repository"}
    assert "vendor/lib/lib.py" not in diff.all_paths

    whole = scope_of(repo.path, whole=True)
    assert whole.skipped == {"vendor/lib": "submodule or nested repository"}
    assert "vendor/lib/lib.py" not in whole.files
    assert ".gitmodules" in whole.files


def test_a_submodule_bump_is_listed_but_not_scanned(repo: GitRepo, library: GitRepo) -> None:
    repo.git("checkout", "--quiet", "main")
    repo.git(
        "-c", "protocol.file.allow=always", "submodule", "add", "--quiet", str(library.path), "lib"
    )
    repo.commit("add submodule on main")
    repo.git("checkout", "--quiet", "-B", "feature")
    (repo.path / "lib" / "lib.py").write_text("def helper():\n    return 2\n")
    GitRepo(repo.path / "lib").commit("bump inside the submodule")
    repo.commit("bump submodule")

    scope = scope_of(repo.path)

    assert scope.files == []
    assert scope.skipped == {"lib": "submodule or nested repository"}


def test_a_nested_untracked_repository_is_not_descended_into(repo: GitRepo) -> None:
    nested = GitRepo(repo.path / "nested")
    nested.path.mkdir()
    nested.git("init", "--quiet")
    nested.write("inner.py", "X = 1\n")
    nested.commit("inner")

    for whole in (False, True):
        scope = scope_of(repo.path, whole=whole)
        assert "nested/inner.py" not in scope.files
        assert scope.skipped == {"nested/": "submodule or nested repository"}


# --- repositories without history, and no repository at all ----------------------------


def test_an_empty_repository_treats_every_file_as_new(empty_repo: GitRepo) -> None:
    empty_repo.write("app.py", "X = 1\n")
    empty_repo.write("staged.py", "Y = 1\n")
    empty_repo.git("add", "staged.py")

    scope = scope_of(empty_repo.path)

    assert scope.head is None and scope.base is None
    assert scope.files == ["app.py", "staged.py"]
    assert scope.existed_at_base == set()
    assert any("no commits" in n for n in scope.notices), scope.notices
    assert scope.base_content("app.py") is None


def test_an_empty_repository_through_the_cli(empty_repo: GitRepo) -> None:
    empty_repo.write("app.py", "X = 1\n")
    done = ci(empty_repo.path)
    assert_clean_exit(done, 0)
    result = json.loads(done.stdout)
    assert result["scope"]["files"] == ["app.py"]
    assert result["scope"]["head"] is None
    assert any("no commits" in n for n in result["notices"])


def test_an_empty_repository_with_no_files_at_all(empty_repo: GitRepo) -> None:
    done = ci(empty_repo.path)
    assert_clean_exit(done, 0)
    assert json.loads(done.stdout)["scope"]["files"] == []


def test_a_folder_that_is_no_repository_is_judged_whole_with_a_notice(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    for name in ("main.py", "pkg/mod.py", ".hidden.py", "node_modules/x/index.js", ".venv/lib.py"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("X = 1\n")
    (folder / "blob.bin").write_bytes(b"\x00\x01")
    (folder / ".readyterm" / "records").mkdir(parents=True)
    (folder / ".readyterm" / "records" / "r.yaml").write_text("verdict: ready\n")

    scope = scope_of(folder)

    assert scope.is_git is False and scope.mode == "all" and scope.git is None
    assert scope.files == [".hidden.py", "main.py", "pkg/mod.py"]
    assert scope.skipped == {"blob.bin": "binary"}
    assert any("not a git repository" in n and "whole folder" in n for n in scope.notices)


def test_a_folder_that_is_no_repository_shows_the_notice_in_text_output(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "main.py").write_text("X = 1\n")
    done = run_cli("--ci", str(folder), "--no-staging", "--steps", "monitoring", timeout=60)
    assert_clean_exit(done, 0)
    assert "not a git repository" in done.stdout
    assert "whole folder" in done.stdout


def test_a_bare_repository_is_a_usage_error(tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    with pytest.raises(ScopeError, match="bare"):
        scope_of(bare)
    assert_clean_exit(ci(bare), 2)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the repository to another user")
def test_a_repository_git_refuses_to_read_is_a_clear_usage_error(repo: GitRepo) -> None:
    shutil.chown(repo.path, user="nobody")
    with pytest.raises(ScopeError) as caught:
        scope_of(repo.path)
    assert "safe.directory" in str(caught.value)
    done = ci(repo.path)
    assert_clean_exit(done, 2)
    assert "safe.directory" in done.stderr


# --- bad paths and refs -----------------------------------------------------------------


def test_a_path_that_does_not_exist_or_is_a_file_is_a_usage_error(repo: GitRepo) -> None:
    missing = repo.path / "nope"
    with pytest.raises(ScopeError, match="does not exist"):
        scope_of(missing)
    with pytest.raises(ScopeError, match="not a folder"):
        scope_of(repo.path / "app" / "settings.py")
    for path in (missing, repo.path / "app" / "settings.py"):
        done = ci(path)
        assert_clean_exit(done, 2)
        assert str(path.name) in done.stderr


def test_an_unknown_base_ref_is_a_usage_error_naming_the_ref(repo: GitRepo) -> None:
    with pytest.raises(ScopeError, match="no-such-branch"):
        scope_of(repo.path, base="no-such-branch")
    done = ci(repo.path, "--base", "no-such-branch")
    assert_clean_exit(done, 2)
    assert "no-such-branch" in done.stderr
    assert "--base" in done.stderr


def test_an_unknown_base_from_the_config_says_where_it_came_from(repo: GitRepo) -> None:
    with pytest.raises(ScopeError) as caught:
        scope_of(repo.path, Config(base="develop"))
    assert "develop" in str(caught.value)
    assert "base" in str(caught.value) and "config" in str(caught.value)
    done = ci(repo.path, env={"READYTERM_BASE": "develop"})
    assert_clean_exit(done, 2)
    assert "develop" in done.stderr and "READYTERM_BASE" in done.stderr


@pytest.mark.parametrize("ref", ["--output=/tmp/x", "-h", "--all"])
def test_a_base_that_looks_like_an_option_is_never_passed_to_git_as_one(
    repo: GitRepo, ref: str
) -> None:
    with pytest.raises(ScopeError, match="unknown base ref"):
        scope_of(repo.path, base=ref)


def test_base_accepts_branches_tags_and_commits(repo: GitRepo) -> None:
    first = repo.head
    repo.git("tag", "v1.0")
    repo.write("one.py", "A = 1\n")
    second = repo.commit("one")
    repo.write("two.py", "B = 1\n")
    repo.commit("two")
    assert scope_of(repo.path, base="v1.0").files == ["one.py", "two.py"]
    assert scope_of(repo.path, base=second[:10]).files == ["two.py"]
    assert scope_of(repo.path, base=first).base == first
    assert scope_of(repo.path, base="HEAD~1").files == ["two.py"]


def test_an_unrelated_history_is_a_usage_error(repo: GitRepo) -> None:
    repo.git("checkout", "--quiet", "--orphan", "island")
    repo.commit("unrelated root")
    with pytest.raises(ScopeError, match="share no history"):
        scope_of(repo.path, base="main")


def test_no_main_no_master_and_no_base_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "trunk")
    repo.path.mkdir()
    repo.git("init", "--quiet", "--initial-branch=trunk")
    repo.write("a.py", "A = 1\n")
    repo.commit()
    repo.branch("feature")
    repo.write("b.py", "B = 1\n")
    repo.commit()

    with pytest.raises(ScopeError) as caught:
        scope_of(repo.path)
    assert "no base branch" in str(caught.value)
    assert "--base" in str(caught.value) and "--all" in str(caught.value)

    done = ci(repo.path)
    assert_clean_exit(done, 2)
    assert "--base" in done.stderr
    assert scope_of(repo.path, base="trunk").files == ["b.py"]
    assert scope_of(repo.path, Config(base="trunk")).files == ["b.py"]


# --- clones: origin/HEAD and shallow clones ---------------------------------------------


@pytest.fixture
def origin(tmp_path: Path) -> GitRepo:
    """main: m1 m2 m3 m4; feature branches off at m3 and adds f1 f2."""
    repo = GitRepo(tmp_path / "origin")
    repo.path.mkdir()
    repo.git("init", "--quiet", "--initial-branch=main")
    for i in (1, 2, 3):
        repo.write(f"m{i}.py", f"M{i} = {i}\n")
        repo.commit(f"m{i}")
    repo.branch("feature")
    for i in (1, 2):
        repo.write(f"f{i}.py", f"F{i} = {i}\n")
        repo.commit(f"f{i}")
    repo.git("checkout", "--quiet", "main")
    repo.write("m4.py", "M4 = 4\n")
    repo.commit("m4")
    return repo


def clone(origin: GitRepo, target: Path, *options: str) -> GitRepo:
    subprocess.run(
        ["git", "clone", "--quiet", *options, f"file://{origin.path}", str(target)],
        check=True,
        capture_output=True,
    )
    return GitRepo(target)


def test_a_clone_compares_with_origin_main(origin: GitRepo, tmp_path: Path) -> None:
    work = clone(origin, tmp_path / "work")
    work.git("checkout", "--quiet", "feature")
    scope = scope_of(work.path)
    assert scope.base_ref == "origin/main"
    assert scope.base == origin.git("rev-parse", "main~1")  # the merge-base, not main's tip
    assert scope.files == ["f1.py", "f2.py"]


def test_origin_head_decides_the_default_base(origin: GitRepo, tmp_path: Path) -> None:
    origin.git("branch", "develop", "main~2")  # develop: m1 m2
    origin.git("symbolic-ref", "HEAD", "refs/heads/develop")
    work = clone(origin, tmp_path / "work")
    assert work.git("symbolic-ref", "refs/remotes/origin/HEAD") == "refs/remotes/origin/develop"
    work.git("checkout", "--quiet", "feature")

    scope = scope_of(work.path)

    assert scope.base_ref == "origin/develop"
    assert scope.files == ["f1.py", "f2.py", "m3.py"]
    # --base still wins over origin/HEAD
    assert scope_of(work.path, base="origin/main").files == ["f1.py", "f2.py"]


def test_base_main_finds_origin_main_when_there_is_no_local_main(
    origin: GitRepo, tmp_path: Path
) -> None:
    work = clone(origin, tmp_path / "work", "--branch", "feature")
    assert work.git("branch", "--list", "main") == ""
    scope = scope_of(work.path, base="main")
    assert scope.base_ref == "origin/main"
    assert scope.files == ["f1.py", "f2.py"]
    assert any("origin/main" in n for n in scope.notices), scope.notices


def run_hint(work: GitRepo, message: str) -> None:
    argv = hinted_command(message)
    done = subprocess.run(argv, cwd=work.path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (argv, done.stderr)


def test_a_shallow_single_branch_clone_without_the_base_says_how_to_fetch_it(
    origin: GitRepo, tmp_path: Path
) -> None:
    work = clone(origin, tmp_path / "ci", "--depth", "1", "--branch", "feature")
    assert work.git("rev-parse", "--is-shallow-repository") == "true"

    with pytest.raises(ScopeError) as caught:
        scope_of(work.path)
    message = str(caught.value)
    assert "shallow" in message and "git fetch" in message

    done = ci(work.path)  # never a silent fallback to "everything" or "nothing"
    assert_clean_exit(done, 2)
    assert "git fetch" in done.stderr and done.stdout == ""

    run_hint(work, message)  # the printed command really fixes it
    scope = scope_of(work.path)
    assert scope.base_ref == "origin/main"
    assert scope.files == ["f1.py", "f2.py"]


def test_a_shallow_clone_that_misses_the_merge_base_says_how_to_deepen_it(
    origin: GitRepo, tmp_path: Path
) -> None:
    work = clone(origin, tmp_path / "ci", "--depth", "1", "--no-single-branch")
    work.git("checkout", "--quiet", "feature")
    assert work.git("rev-parse", "--verify", "origin/main")  # the base is there, its past is not

    with pytest.raises(ScopeError) as caught:
        scope_of(work.path)
    message = str(caught.value)
    assert "merge-base" in message and "git fetch" in message

    done = ci(work.path)
    assert_clean_exit(done, 2)
    assert "git fetch" in done.stderr and done.stdout == ""

    run_hint(work, message)
    assert scope_of(work.path).files == ["f1.py", "f2.py"]


def test_a_shallow_clone_with_an_explicit_missing_base_says_how_to_fetch_that_ref(
    origin: GitRepo, tmp_path: Path
) -> None:
    origin.git("branch", "release", "main~1")
    work = clone(origin, tmp_path / "ci", "--depth", "1", "--branch", "feature")

    with pytest.raises(ScopeError) as caught:
        scope_of(work.path, base="release")
    message = str(caught.value)
    assert (
        "'release'" in message
        and "git fetch" in message
        and "release" in " ".join(hinted_command(message))
    )
    done = ci(work.path, "--base", "release")
    assert_clean_exit(done, 2)
    assert "git fetch" in done.stderr

    run_hint(work, message)
    assert scope_of(work.path, base="release").files == ["f1.py", "f2.py"]


def test_a_shallow_clone_with_all_needs_no_history(origin: GitRepo, tmp_path: Path) -> None:
    work = clone(origin, tmp_path / "ci", "--depth", "1", "--branch", "feature")
    scope = scope_of(work.path, whole=True)
    assert scope.files == ["f1.py", "f2.py", "m1.py", "m2.py", "m3.py"]


# --- include, exclude and records -------------------------------------------------------


def test_include_and_exclude_globs(repo: GitRepo) -> None:
    for name in ("top.py", "app/views.py", "app/deep/models.py", "docs/guide.md", "vendor/x/y.py"):
        repo.write(name, "X = 1\n")
    cases = {
        (("**/*.py",), ()): ["app/deep/models.py", "app/views.py", "top.py", "vendor/x/y.py"],
        (("app/**",), ()): ["app/deep/models.py", "app/views.py"],
        (("app/",), ()): ["app/deep/models.py", "app/views.py"],
        (("*.md",), ()): ["docs/guide.md"],
        ((), ("vendor",)): ["app/deep/models.py", "app/views.py", "docs/guide.md", "top.py"],
        ((), ("vendor/", "*.md")): ["app/deep/models.py", "app/views.py", "top.py"],
        (("*.py",), ("app/deep/**", "**/vendor/**")): ["app/views.py", "top.py"],
        (("app/*.py",), ()): ["app/deep/models.py", "app/views.py"],
        (("nothing/*",), ()): [],
    }
    for (include, exclude), expected in cases.items():
        # judge_vendored: these cases are about globs, and vendor/ is skipped by default.
        config = Config(include=list(include), exclude=list(exclude), judge_vendored=True)
        assert scope_of(repo.path, config).files == expected, (include, exclude)


def test_vendored_and_minified_code_is_listed_but_not_judged(repo: GitRepo) -> None:
    bundle = "var a=1;" * 400  # one 3200-character line, as minifiers write
    repo.write("static/vendor/jquery.js", "function $(){}\n")
    repo.write("third_party/lib/util.py", "X = 1\n")
    repo.write("static/app.min.js", "var a=1;\n")
    repo.write("static/app.js.map", "{}\n")
    repo.write("static/bundle.js", bundle + "\n")
    repo.write("static/app.js", "export function main() {\n  return 1;\n}\n")
    repo.write("app/vendors.py", "VENDORS = []\n")  # a name, not a vendored folder

    scope = scope_of(repo.path, whole=True)

    assert "static/app.js" in scope.files and "app/vendors.py" in scope.files
    for name in ("static/vendor/jquery.js", "third_party/lib/util.py"):
        assert scope.skipped[name].startswith("vendored code"), name
    for name in ("static/app.min.js", "static/app.js.map", "static/bundle.js"):
        assert scope.skipped[name].startswith("minified or generated code"), name
    judged = scope_of(repo.path, Config(judge_vendored=True), whole=True)
    assert "static/bundle.js" in judged.files and "static/vendor/jquery.js" in judged.files


def test_exclude_also_hides_deletions(repo: GitRepo) -> None:
    (repo.path / "app" / "settings.py").unlink()
    assert scope_of(repo.path).deleted == ["app/settings.py"]
    assert scope_of(repo.path, Config(exclude=["app/*"])).deleted == []


def test_readiness_records_are_never_in_scope(repo: GitRepo) -> None:
    repo.write(".readyterm/records/20240101T000000Z-abc.yaml", "verdict: ready\n")
    repo.write(".readyterm/records/nested/old.yaml", "verdict: ready\n")
    repo.write(".readyterm/waivers.yaml", "waivers: []\n")
    repo.commit("records")
    repo.write(".readyterm/records/20240102T000000Z-def.yaml", "verdict: ready\n")  # untracked

    for whole in (False, True):
        files = scope_of(repo.path, Config(include=["*"]), whole=whole).files
        assert ".readyterm/waivers.yaml" in files
        assert not [f for f in files if f.startswith(".readyterm/records/")], files

    repo.git("rm", "--quiet", "-r", ".readyterm/records")
    repo.commit("drop records")
    assert scope_of(repo.path).deleted == []


# --- git itself misbehaving -------------------------------------------------------------


def fake_git(tmp_path: Path, body: str) -> dict[str, str]:
    """A `git` first on PATH that runs `body` (sh) before or instead of the real git."""
    folder = tmp_path / "fakebin"
    folder.mkdir(exist_ok=True)
    script = folder / "git"
    real = shutil.which("git")
    assert real
    script.write_text(f"#!/bin/sh\nREAL_GIT={shlex.quote(real)}\n{textwrap.dedent(body)}\n")
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_a_git_diff_that_hangs_is_stopped_after_timeouts_git(repo: GitRepo, tmp_path: Path) -> None:
    env = fake_git(
        tmp_path,
        """
        for arg in "$@"; do [ "$arg" = diff ] && exec sleep 60; done
        exec "$REAL_GIT" "$@"
        """,
    )
    repo.write("new.py", "X = 1\n")
    started = time.monotonic()
    done = ci(repo.path, env={**env, "READYTERM_TIMEOUTS__GIT": "2"})
    elapsed = time.monotonic() - started
    assert_clean_exit(done, 3)
    assert "git diff did not finish within 2 s" in done.stderr
    assert "timeouts.git" in done.stderr
    assert elapsed < 15, elapsed


def test_a_git_that_hangs_on_everything_is_stopped_in_bounded_time(
    repo: GitRepo, tmp_path: Path
) -> None:
    env = fake_git(tmp_path, "sleep 60 & wait")  # even `git version` never answers
    started = time.monotonic()
    done = ci(repo.path, env={**env, "READYTERM_TIMEOUTS__GIT": "2"})
    elapsed = time.monotonic() - started
    assert_clean_exit(done, 3)
    assert "git" in done.stderr and "2 s" in done.stderr
    assert elapsed < 15, elapsed


def test_a_git_that_prints_garbage_is_a_clear_error(repo: GitRepo, tmp_path: Path) -> None:
    env = fake_git(tmp_path, "echo 'this is not git' ; exit 0")
    done = ci(repo.path, env=env)
    assert_clean_exit(done, 3)
    assert "git" in done.stderr and "this is not git" in done.stderr


def test_a_git_that_crashes_on_diff_reports_its_stderr(repo: GitRepo, tmp_path: Path) -> None:
    env = fake_git(
        tmp_path,
        """
        for arg in "$@"; do
          [ "$arg" = diff ] && { echo 'fatal: simulated corruption' >&2; exit 128; }
        done
        exec "$REAL_GIT" "$@"
        """,
    )
    done = ci(repo.path, env=env)
    assert_clean_exit(done, 3)
    assert "simulated corruption" in done.stderr


def test_no_git_on_path_in_a_repository_says_install_git(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ToolError, match="install git"):
        scope_of(repo.path)
    # a plain folder needs no git at all
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("X = 1\n")
    assert scope_of(plain).files == ["a.py"]


def test_a_git_timeout_in_process_is_a_tool_error(repo: GitRepo, tmp_path: Path) -> None:
    """The same bound when the core is used as a library (the TUI does)."""
    env = fake_git(
        tmp_path,
        """
        for arg in "$@"; do [ "$arg" = ls-files ] && exec sleep 60; done
        exec "$REAL_GIT" "$@"
        """,
    )
    code = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from readyterm.foundation.config import Config, Timeouts
        from readyterm.foundation.errors import ToolError
        from readyterm.engine.scope import resolve_scope
        started = time.monotonic()
        try:
            resolve_scope(Path({str(repo.path)!r}), Config(timeouts=Timeouts(git=1)))
        except ToolError as exc:
            print(round(time.monotonic() - started), exc)
            sys.exit(0)
        sys.exit(1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seconds, message = done.stdout.split(" ", 1)
    assert int(seconds) < 10
    assert "git ls-files did not finish within 1 s" in message


def test_timeouts_config_model_is_used(repo: GitRepo) -> None:
    scope = scope_of(repo.path, Config(timeouts=Timeouts(git=5)))
    assert scope.git is not None and scope.git.timeout == 5
