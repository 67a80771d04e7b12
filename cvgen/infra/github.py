"""GitHub, as the CI stack sees it: the repository to trust and the account's OIDC provider.

The deploy role trusts `repo:OWNER/REPO:ref:refs/heads/main` exactly: IAM compares the
token's `sub` claim case-sensitively, so OWNER/REPO must be spelled as GitHub spells it.
An account holds one OIDC provider per URL; when one for GitHub exists (made by hand or by
another tool), the CI stack reuses it instead of failing with EntityAlreadyExists.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cvgen.errors import CvgenError

OIDC_HOST = "token.actions.githubusercontent.com"
# the `aud` claim GitHub's aws-actions/configure-aws-credentials asks for; IAM refuses a token
# whose audience the provider does not list
STS_AUDIENCE = "sts.amazonaws.com"
_REMOTE = re.compile(
    r"^(?:https://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<repo>[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?)(?:\.git)?/?$"
)


def repo_from_remote(url: str) -> str | None:
    """OWNER/REPO of a github.com remote URL (https or ssh), else None."""
    match = _REMOTE.match(url.strip())
    return match["repo"] if match else None


def origin_repo(root: Path) -> str:
    """OWNER/REPO from `git remote get-url origin` in `root`, or CvgenError saying what to do."""
    try:
        answer = subprocess.run(
            ["git", "remote", "get-url", "origin"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CvgenError(f"--github-repo: cannot run git ({exc}); pass OWNER/REPO") from exc
    repo = repo_from_remote(answer.stdout) if answer.returncode == 0 else None
    if repo is None:
        found = answer.stdout.strip() or answer.stderr.strip() or "no remote `origin`"
        raise CvgenError(
            f"--github-repo: `git remote get-url origin` gives {found!r}, not a github.com "
            "repository; pass OWNER/REPO exactly as GitHub spells it (case-sensitive)"
        )
    return repo


def existing_provider(iam: Any) -> str | None:
    """The ARN of this account's OIDC provider for GitHub Actions, if it has one."""
    for provider in iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", []):
        arn = str(provider.get("Arn", ""))
        if arn.endswith(f":oidc-provider/{OIDC_HOST}"):
            return arn
    return None


def audience_problem(arn: str, provider: Mapping[str, Any]) -> str | None:
    """Why a reused provider (GetOpenIDConnectProvider's answer) would refuse CI, or None."""
    audiences = [str(a) for a in provider.get("ClientIDList") or []]
    if STS_AUDIENCE in audiences:
        return None
    listed = ", ".join(audiences) or "none"
    return (
        f"{arn} does not list the audience {STS_AUDIENCE} (it lists {listed}), so AWS would "
        "refuse the deploy workflow's GitHub token; add it with `aws iam "
        f"add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {arn} "
        f"--client-id {STS_AUDIENCE}`"
    )


def provider_parameter(
    flag: str | None, ci_parameters: Mapping[str, str] | None, found: str | None
) -> str:
    """The CI stack's ExistingOidcProviderArn: "" makes the stack create (and own) one.

    A flag wins; an existing CI stack keeps what it has (switching would delete the provider
    it owns); otherwise an account's existing provider is reused.
    """
    if flag:
        return flag
    if ci_parameters is not None:
        return ci_parameters.get("ExistingOidcProviderArn", "")
    return found or ""
