"""MkDocs hook: a notebook for every question page, in the site under ``notebooks/``,
and links near the top of the page to download it or open it in Colab."""

from __future__ import annotations

import os
import re
from pathlib import Path

import notebook_build
from mkdocs.structure.files import File, Files

PLACEHOLDER = "your-github-user/your-repository"
_links = {"colab": "https://colab.research.google.com/github/{repo}/blob/main/notebooks/{name}"}


def repository(config) -> str:
    """``owner/name`` on GitHub: from ``GITHUB_REPOSITORY`` (set by GitHub Actions), else
    from ``repo_url``, else ``extra.notebooks_repository`` in mkdocs.yml."""
    if slug := os.environ.get("GITHUB_REPOSITORY"):
        return slug
    if match := re.match(r"https?://github\.com/([^/]+/[^/#?]+?)(?:\.git)?/?$", config.repo_url or ""):
        return match[1]
    return config.extra.get("notebooks_repository") or PLACEHOLDER


def on_config(config, **kwargs):
    _links["repo"] = repository(config)
    return config


def on_files(files: Files, config, **kwargs) -> Files:
    for page in [f for f in files.documentation_pages() if notebook_build.PAGE.match(f.src_uri)]:
        text = notebook_build.render_memoised(Path(page.abs_src_path), page.content_string)
        files.append(File.generated(config, f"notebooks/{Path(page.src_uri).stem}.ipynb", content=text))
    return files


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    if not notebook_build.PAGE.match(page.file.src_uri):
        return markdown
    name = f"{Path(page.file.src_uri).stem}.ipynb"
    colab = _links["colab"].format(repo=_links["repo"], name=name)
    links = f'[Download notebook](notebooks/{name}){{ download="{name}" }} · [Open in Colab]({colab})'
    return re.sub(r"^# .*$", lambda m: f"{m[0]}\n\n{links}\n", markdown, count=1, flags=re.M)
