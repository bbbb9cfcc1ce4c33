"""`re profile ...` through the command line, against the sandbox over HTTPS."""

import hashlib
import json
import ssl

from conftest import free_port, isolated_env
from terminal import run_on_terminal


def server_fingerprint(port: int) -> str:
    """The SHA-256 fingerprint of the certificate served on `port`, computed here."""
    der = ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", port)))
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, 64, 2))


def add(re_run, sandbox, name="dev", *extra, password=None, role="admin"):
    """`re profile add NAME` for the sandbox, CA-verified, password on stdin."""
    return re_run("profile", "add", name, "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(role), "--ca-cert", str(sandbox.ca_cert),
                  "--password-stdin", *extra,
                  input=(password or sandbox.password(role)) + "\n")


def config_file(home):
    return home / "config" / "re" / "config.toml"


def test_add_connects_stores_and_lists(re_run, sandbox, home):
    done = add(re_run, sandbox)
    assert done.code == 0, done.stderr
    assert "added profile `dev`" in done.stderr
    assert done.stdout == ""

    text = config_file(home).read_text()
    assert "[profiles.dev]" in text and f"port = {sandbox.port}" in text
    assert sandbox.password() not in text

    listed = re_run("profile", "list", "-o", "json")
    assert listed.code == 0
    rows = json.loads(listed.stdout)
    assert rows == [{
        "name": "dev", "default": True, "url": sandbox.url, "host": sandbox.host,
        "port": sandbox.port, "user": sandbox.user(), "tls": "ca_cert", "password": "keyring",
        "ca_cert": str(sandbox.ca_cert),
    }]


def test_list_as_a_table_marks_the_default_and_keeps_brackets(re_run, sandbox):
    assert add(re_run, sandbox, "dev").code == 0
    assert add(re_run, sandbox, "[prod]").code == 0

    table = re_run("profile", "list", "-o", "table")
    assert table.code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["DEFAULT", "NAME", "URL", "USER", "TLS", "PASSWORD"]
    assert lines[1].split() == ["*", "dev", sandbox.url, sandbox.user(), "ca_cert", "keyring"]
    assert lines[2].split() == ["[prod]", sandbox.url, sandbox.user(), "ca_cert", "keyring"]


def test_list_without_profiles(re_run):
    assert json.loads(re_run("profile", "list", "-o", "json").stdout) == []
    table = re_run("profile", "list", "-o", "table")
    assert table.code == 0 and table.stdout == ""
    assert "no profiles" in table.stderr


def test_show_use_and_remove(re_run, sandbox, home):
    assert add(re_run, sandbox, "one").code == 0
    assert add(re_run, sandbox, "two").code == 0

    shown = json.loads(re_run("profile", "show", "two", "-o", "json").stdout)
    assert shown["name"] == "two" and shown["default"] is False
    assert shown["config_file"] == str(config_file(home))

    used = re_run("profile", "use", "two")
    assert used.code == 0 and "default profile: two" in used.stderr
    assert json.loads(re_run("profile", "show", "-o", "json").stdout)["name"] == "two"
    table = re_run("profile", "show", "-o", "table").stdout
    assert "name         two" in table and "default      yes" in table

    removed = re_run("profile", "remove", "two")
    assert removed.code == 0
    assert "keyring entry deleted" in removed.stderr
    assert "no default profile" in removed.stderr
    names = [row["name"] for row in json.loads(re_run("profile", "list", "-o", "json").stdout)]
    assert names == ["one"]
    assert "default_profile" not in config_file(home).read_text()


def test_unknown_profiles_exit_3(re_run, sandbox):
    assert add(re_run, sandbox, "dev").code == 0
    for args in (["profile", "show", "nope"], ["profile", "use", "nope"],
                 ["profile", "remove", "nope"], ["profile", "test", "nope"],
                 ["-p", "nope", "profile", "test"]):
        done = re_run(*args)
        assert done.code == 3, args
        assert "no profile named `nope`" in done.stderr
        assert len(done.stderr.splitlines()) == 1


def test_test_prints_cluster_facts(re_run, sandbox):
    assert add(re_run, sandbox).code == 0
    cluster = json.loads(re_run("api", "GET", "/v1/cluster", env=sandbox.env()).stdout)
    nodes = json.loads(re_run("api", "GET", "/v1/nodes", env=sandbox.env()).stdout)

    done = re_run("profile", "test", "-o", "json")
    assert done.code == 0, done.stderr
    facts = json.loads(done.stdout)
    assert facts["profile"] == "dev"
    assert facts["cluster"] == cluster["name"]
    assert facts["nodes"] == len(nodes)
    assert facts["version"] == nodes[0]["software_version"]
    assert facts["round_trip_ms"] > 0

    table = re_run("profile", "test", "dev", "-o", "table").stdout
    assert f"cluster        {cluster['name']}" in table
    assert f"nodes          {len(nodes)}" in table
    assert "round_trip_ms" in table


def test_test_exit_codes_by_outcome(re_run, sandbox):
    assert add(re_run, sandbox, "dev").code == 0
    assert re_run("profile", "test").code == 0

    refused = re_run("profile", "test", env={"RE_PASSWORD": "not-the-password"})
    assert refused.code == 4
    assert "401" in refused.stderr

    closed = re_run("profile", "test", env={"RE_PORT": str(free_port())})
    assert closed.code == 8
    assert "cannot connect" in closed.stderr

    assert re_run("profile", "add", "bare", "--host", sandbox.host, "--port",
                  str(sandbox.port), "--user", "nobody@example.com", "--no-check").code == 0
    no_password = re_run("profile", "test", "bare")
    assert no_password.code == 3
    assert "no password for profile `bare`" in no_password.stderr


def test_add_with_a_wrong_password_saves_nothing(re_run, sandbox, home):
    done = add(re_run, sandbox, "dev", password="wrong-password")
    assert done.code == 4
    assert "401" in done.stderr and "not saved" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not config_file(home).exists()


def test_add_to_a_closed_port_saves_nothing(re_run, sandbox, home):
    done = re_run("profile", "add", "dev", "--host", "127.0.0.1", "--port", str(free_port()),
                  "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert),
                  "--password-stdin", input=sandbox.password() + "\n")
    assert done.code == 8
    assert not config_file(home).exists()


def test_add_without_check_and_without_password(re_run, sandbox, home):
    done = re_run("profile", "add", "later", "--host", "cluster.example.com",
                  "--user", "a@example.com", "--no-check")
    assert done.code == 0
    assert "no password stored" in done.stderr
    shown = json.loads(re_run("profile", "show", "later", "-o", "json").stdout)
    assert shown["port"] == 9443 and shown["tls"] == "system" and shown["password"] == "prompt"


def test_add_without_any_password_source_exits_3(re_run, sandbox, home):
    done = re_run("profile", "add", "dev", "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert))
    assert done.code == 3
    assert "--password-stdin" in done.stderr
    assert not config_file(home).exists()


def test_add_replaces_and_drops_old_trust_settings(re_run, sandbox, home):
    assert re_run("profile", "add", "dev", "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--insecure", "--no-check").code == 0
    done = add(re_run, sandbox, "dev")
    assert done.code == 0 and "replaced profile `dev`" in done.stderr
    text = config_file(home).read_text()
    assert "insecure" not in text and "ca_cert" in text


def test_add_usage_errors(re_run, sandbox, home):
    both = re_run("profile", "add", "x", "--host", "h", "--user", "u", "--insecure",
                  "--pin-fingerprint", "AA" * 32, "--no-check")
    assert both.code == 2 and "exclude each other" in both.stderr

    bad_pin = re_run("profile", "add", "x", "--host", "h", "--user", "u",
                     "--pin-fingerprint", "12:34", "--no-check")
    assert bad_pin.code == 2 and "not a SHA-256 fingerprint" in bad_pin.stderr

    bad_name = re_run("profile", "add", " x", "--host", "h", "--user", "u", "--no-check")
    assert bad_name.code == 2

    bad_port = re_run("profile", "add", "x", "--host", "h", "--user", "u", "--port", "70000")
    assert bad_port.code == 2
    assert not config_file(home).exists()


def test_set_password_from_stdin(re_run, sandbox):
    assert add(re_run, sandbox, "dev").code == 0
    changed = re_run("profile", "set-password", "dev", "--password-stdin", input="wrong\n")
    assert changed.code == 0 and "stored the password" in changed.stderr
    assert re_run("profile", "test").code == 4

    restored = re_run("--password-stdin", "profile", "set-password",
                      input=sandbox.password() + "\n")
    assert restored.code == 0
    assert re_run("profile", "test").code == 0


def test_set_password_needs_a_terminal_or_stdin(re_run, sandbox):
    assert add(re_run, sandbox, "dev").code == 0
    done = re_run("profile", "set-password", "dev")
    assert done.code == 3
    assert "--password-stdin" in done.stderr


def test_set_password_on_a_terminal(sandbox, home, re_run):
    assert re_run("profile", "add", "dev", "--host", sandbox.host, "--port", str(sandbox.port),
                  "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert),
                  "--no-check").code == 0
    secret = sandbox.password()
    session = run_on_terminal(["profile", "set-password", "dev"], isolated_env(home),
                              [("New password for profile `dev`: ", secret),
                               ("Again, to confirm: ", secret)])
    assert session.code == 0, session.output
    assert secret not in session.output
    assert re_run("profile", "test").code == 0

    differ = run_on_terminal(["profile", "set-password", "dev"], isolated_env(home),
                             [("New password", "one"), ("Again", "two")])
    assert differ.code == 3 and "differ" in differ.output
    assert re_run("profile", "test").code == 0


def test_add_asks_the_password_on_a_terminal(sandbox, home, re_run):
    secret = sandbox.password()
    session = run_on_terminal(
        ["profile", "add", "dev", "--host", sandbox.host, "--port", str(sandbox.port),
         "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert)],
        isolated_env(home), [("Password for profile `dev`: ", secret)])
    assert session.code == 0, session.output
    assert secret not in session.output
    assert "added profile `dev`" in session.output
    assert json.loads(re_run("profile", "show", "-o", "json").stdout)["password"] == "keyring"
    assert re_run("profile", "test").code == 0


def test_trust_on_first_use_on_a_terminal(sandbox, home, re_run):
    fingerprint = server_fingerprint(sandbox.port)
    secret = sandbox.password()
    session = run_on_terminal(
        ["profile", "add", "tofu", "--host", sandbox.host, "--port", str(sandbox.port),
         "--user", sandbox.user()],
        isolated_env(home),
        [("Pin this certificate for profile `tofu`? [y/N]: ", "y"),
         ("Password for profile `tofu`: ", secret)])
    assert session.code == 0, session.output
    assert f"SHA256 fingerprint: {fingerprint}" in session.output
    assert "subject:            CN=localhost" in session.output
    assert "expires:" in session.output
    assert secret not in session.output

    shown = json.loads(re_run("profile", "show", "tofu", "-o", "json").stdout)
    assert shown["tls"] == "fingerprint" and shown["fingerprint"] == fingerprint
    assert re_run("profile", "test", "tofu").code == 0


def test_trust_on_first_use_declined(sandbox, home):
    session = run_on_terminal(
        ["profile", "add", "tofu", "--host", sandbox.host, "--port", str(sandbox.port),
         "--user", sandbox.user()],
        isolated_env(home), [("[y/N]: ", "n")])
    assert session.code == 8
    assert "not trusted" in session.output
    assert not config_file(home).exists()


def test_trust_on_first_use_in_a_script(re_run, sandbox, home):
    fingerprint = server_fingerprint(sandbox.port)
    args = ["profile", "add", "ci", "--host", sandbox.host, "--port", str(sandbox.port),
            "--user", sandbox.user(), "--password-stdin"]

    refused = re_run(*args, input=sandbox.password() + "\n")
    assert refused.code == 8
    assert f"--pin-fingerprint {fingerprint}" in refused.stderr
    assert f"SHA256 fingerprint: {fingerprint}" in refused.stderr
    assert not config_file(home).exists()

    lower_no_colons = fingerprint.replace(":", "").lower()
    pinned = re_run(*args, "--pin-fingerprint", lower_no_colons, input=sandbox.password() + "\n")
    assert pinned.code == 0, pinned.stderr
    assert f'fingerprint = "{fingerprint}"' in config_file(home).read_text()
    assert re_run("profile", "test", "ci").code == 0
