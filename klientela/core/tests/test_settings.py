"""Production settings pass Django's deploy check, and every page carries the security headers."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_klientela(*arguments: str, tmp_path, **environment: str) -> subprocess.CompletedProcess:
    """Run the `klientela` command in a fresh process with only the environment we give it."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name in {"PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR"}
    }
    return subprocess.run(
        [sys.executable, "-m", "klientela.manage", *arguments],
        cwd=settings.PROJECT_DIR,
        env={**inherited, "KLIENTELA_VAR_DIR": str(tmp_path), **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    result = run_klientela(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        KLIENTELA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="crm.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_behind_a_redirecting_proxy_passes_the_deploy_check(tmp_path):
    result = run_klientela(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        KLIENTELA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="crm.example.com",
        SECURE_SSL_REDIRECT="false",
    )

    assert result.returncode == 0, result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_klientela(
        "check", tmp_path=tmp_path, KLIENTELA_ENV="production", ALLOWED_HOSTS="crm.example.com"
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set when KLIENTELA_ENV=production" in result.stderr


def test_production_with_a_weak_secret_key_fails_the_deploy_check(tmp_path):
    result = run_klientela(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        KLIENTELA_ENV="production",
        SECRET_KEY="short",
        ALLOWED_HOSTS="crm.example.com",
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_without_allowed_hosts_fails_the_deploy_check(tmp_path):
    result = run_klientela(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        KLIENTELA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
    )

    assert result.returncode != 0
    assert "security.W020" in result.stderr


def test_a_page_carries_the_content_security_policy_and_the_security_headers(client, db):
    response = client.get("/login/")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert response.status_code == 200
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_not_readable_by_scripts_nor_sent_by_other_sites(client, company):
    client.force_login(company["n_manager1"])

    response = client.get("/")

    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


PROBE = """
from django.test import Client
client = Client(HTTP_HOST="crm.example.com")
secure = client.get("/api/v1/me", secure=True)
plain = client.get("/api/v1/me")
print(secure.status_code, secure["Strict-Transport-Security"], sep="|")
print(plain.status_code, plain["Location"], sep="|")
"""


def test_production_sends_hsts_and_redirects_plain_http_to_https(tmp_path):
    result = run_klientela(
        "shell",
        "--no-imports",
        "--command",
        PROBE,
        tmp_path=tmp_path,
        KLIENTELA_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="crm.example.com",
    )

    assert result.returncode == 0, result.stderr
    secure, plain = (line.split("|") for line in result.stdout.splitlines()[-2:])
    assert secure == ["401", "max-age=31536000; includeSubDomains; preload"]
    assert plain == ["301", "https://crm.example.com/api/v1/me"]
