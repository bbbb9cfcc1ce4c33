"""The curl command for a request: what it says, and that it works against the sandbox
over HTTPS with the same trust as the profile (CA file, pinned key)."""

import json
import shlex
import ssl
import subprocess
import uuid

import pytest
import requests

from re_cli import curl, tls
from re_cli.settings import Settings

SECRET = "s3cr3t-never-printed"


def settings_for(box=None, mode="ca", **extra) -> Settings:
    values = dict(profile="box", host="127.0.0.1", port=box.port if box else 9443,
                  user=box.user() if box else "admin@example.com", tls=mode,
                  ca_cert=str(box.ca_cert) if box else "/etc/re/ca dir/ca.pem")
    values.update(extra)
    return Settings(**values)


def words(command: str) -> list[str]:
    """The command's words as the shell would split them (comments and line
    continuations dropped)."""
    return [w for w in shlex.split(command, comments=True) if w != "\n"]


def run(command: str, box) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command + " --silent --show-error"], text=True,
                          capture_output=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "RE_PASSWORD": box.password()})


def test_get_with_a_ca_file_and_a_query():
    command = curl.to_curl(settings_for(), "GET", "https://127.0.0.1:9443/v1/bdbs?fields=uid,name",
                           {"Accept": "application/json", "Authorization": f"Basic {SECRET}",
                            "User-Agent": "re/0.1.0", "Accept-Encoding": "gzip"}, None)
    assert words(command) == [
        "curl", "https://127.0.0.1:9443/v1/bdbs?fields=uid,name",
        "--cacert", "/etc/re/ca dir/ca.pem",
        "-u", "admin@example.com:$RE_PASSWORD",
        "-H", "Accept: application/json", "-H", "User-Agent: re/0.1.0"]
    assert SECRET not in command
    assert '"$RE_PASSWORD"' in command


def test_body_is_quoted_for_the_shell():
    body = json.dumps({"name": "it's a \"db\" $HOME `x`", "memory_size": 1}).encode()
    command = curl.to_curl(settings_for(), "POST", "https://h:9443/v1/bdbs",
                           {"Content-Type": "application/json"}, body)
    split = words(command)
    assert split[split.index("-X") + 1] == "POST"
    assert split[split.index("-d") + 1] == body.decode()


def test_body_starting_with_at_is_not_a_file_name():
    command = curl.to_curl(settings_for(), "PUT", "https://h:9443/x", {}, b"@/etc/passwd")
    assert words(command)[-2:] == ["--data-raw", "@/etc/passwd"]


def test_head_and_delete():
    assert words(curl.to_curl(settings_for(), "HEAD", "https://h/x", {}, None))[:2] == [
        "curl", "-I"]
    assert words(curl.to_curl(settings_for(), "delete", "https://h/x", {}, None))[:3] == [
        "curl", "-X", "DELETE"]


def test_insecure_profile_uses_k_and_says_so():
    command = curl.to_curl(settings_for(mode="insecure", ca_cert=None), "GET", "https://h/x",
                           {}, None)
    assert command.startswith("# TLS verification is off")
    assert "-k" in words(command)


def test_system_cas_need_no_tls_option():
    split = words(curl.to_curl(settings_for(mode="system", ca_cert=None), "GET", "https://h/x",
                               {}, None))
    assert not {"-k", "--cacert", "--pinnedpubkey"} & set(split)


def test_pinned_fingerprint_without_the_certificate_falls_back_to_k_with_a_comment():
    pin = "AB:" * 31 + "AB"
    command = curl.to_curl(settings_for(mode="pinned", ca_cert=None, fingerprint=pin), "GET",
                           "https://h/x", {}, None)
    first = command.splitlines()[0]
    assert first.startswith("# ") and pin in first and "-k" in first
    assert "-k" in words(command) and "--pinnedpubkey" not in command


def test_curl_with_the_ca_file_gets_what_requests_gets(sandbox):
    url = f"{sandbox.url}/v1/bdbs?fields=uid,name"
    command = curl.to_curl(settings_for(sandbox), "GET", url,
                           {"Accept": "application/json"}, None)
    done = run(command, sandbox)
    assert done.returncode == 0, done.stderr
    expected = requests.get(url, verify=str(sandbox.ca_cert), timeout=30,
                            auth=(sandbox.user(), sandbox.password()))
    assert json.loads(done.stdout) == expected.json()
    assert sandbox.password() not in command


def test_curl_post_with_a_body_creates_the_object(sandbox):
    name = f"curl-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"name": name, "memory_size": 100 * 1024 * 1024}).encode()
    command = curl.to_curl(settings_for(sandbox), "POST", f"{sandbox.url}/v1/bdbs",
                           {"Content-Type": "application/json"}, body)
    done = run(command, sandbox)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["name"] == name


def _fingerprint(box) -> str:
    pem = ssl.get_server_certificate(("127.0.0.1", box.port))
    return tls.fingerprint_of(ssl.PEM_cert_to_DER_cert(pem))


def test_pinned_profile_gives_pinnedpubkey_that_curl_checks(sandbox):
    settings = settings_for(sandbox, mode="pinned", ca_cert=None,
                            fingerprint=_fingerprint(sandbox))
    certificate = curl.server_certificate(settings)
    assert certificate is not None
    command = curl.to_curl(settings, "GET", f"{sandbox.url}/v1/cluster", {}, None,
                           certificate=certificate)
    split = words(command)
    pin = split[split.index("--pinnedpubkey") + 1]
    assert pin.startswith("sha256//") and not command.startswith("#")
    done = run(command, sandbox)
    assert done.returncode == 0, done.stderr
    assert "name" in json.loads(done.stdout)

    other_key = curl.public_key_pin(ssl.PEM_cert_to_DER_cert(sandbox.ca_cert.read_text()))
    assert other_key != pin
    refused = run(command.replace(pin, other_key), sandbox)
    assert refused.returncode == 90, refused.stderr  # curl: pinned public key mismatch


def test_a_changed_certificate_gives_no_pin(sandbox):
    settings = settings_for(sandbox, mode="pinned", ca_cert=None, fingerprint="00:" * 31 + "00")
    assert curl.server_certificate(settings) is None


@pytest.mark.parametrize("mode", ["ca", "system", "insecure"])
def test_only_a_pinned_profile_reads_the_certificate(sandbox, mode):
    assert curl.server_certificate(settings_for(sandbox, mode=mode)) is None
