"""The config file and the settings: comments kept, 0600, atomic, broken files left
alone, exit code 3, and flag > environment > profile > default."""

import json
import resource
import stat
import subprocess
import sys

from conftest import free_port, isolated_env

HAND_WRITTEN = """\
# My clusters. Keep this comment.
default_profile = "hand"

[profiles.hand]  # written by hand
user = "someone@example.com"   # user first, on purpose
host = "cluster.example.com"
# a comment inside the table
port = 9443
"""


def config_file(home):
    return home / "config" / "re" / "config.toml"


def write_config(home, text: str, mode: int = 0o644):
    path = config_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def profile_args(sandbox, name="dev"):
    return ["profile", "add", name, "--host", sandbox.host, "--port", str(sandbox.port),
            "--user", sandbox.user(), "--ca-cert", str(sandbox.ca_cert), "--password-stdin"]


def test_edits_keep_comments_and_order_and_make_the_file_0600(re_run, sandbox, home):
    path = write_config(home, HAND_WRITTEN)

    assert re_run(*profile_args(sandbox), input=sandbox.password() + "\n").code == 0
    assert re_run("profile", "use", "dev").code == 0

    text = path.read_text()
    hand_table = HAND_WRITTEN.split("[profiles.hand]")[1]
    assert text.startswith("# My clusters. Keep this comment.\ndefault_profile = \"dev\"\n")
    assert hand_table in text
    assert text.index("[profiles.hand]") < text.index("[profiles.dev]")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_a_new_file_is_0600_in_a_private_dir(re_run, home):
    assert re_run("profile", "add", "x", "--host", "h", "--user", "u", "--no-check").code == 0
    path = config_file(home)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_re_config_names_the_file(re_run, home):
    elsewhere = home / "elsewhere" / "re.toml"
    env = {"RE_CONFIG": str(elsewhere)}
    assert re_run("profile", "add", "x", "--host", "h", "--user", "u", "--no-check",
                  env=env).code == 0
    assert elsewhere.exists() and not config_file(home).exists()
    shown = json.loads(re_run("profile", "show", "-o", "json", env=env).stdout)
    assert shown["config_file"] == str(elsewhere)


def test_a_broken_file_is_reported_and_left_untouched(re_run, sandbox, home):
    broken = HAND_WRITTEN.replace('host = "cluster.example.com"', 'host = "cluster.example.com')
    path = write_config(home, broken)
    before = path.read_bytes()

    for args in (["profile", "list"], ["profile", "use", "hand"], ["bdbs", "list"],
                 profile_args(sandbox), ["profile", "remove", "hand"]):
        done = re_run(*args, input=sandbox.password() + "\n")
        assert done.code == 3, (args, done.stderr)
        assert done.stderr.count("\n") == 1, done.stderr
        assert str(path) in done.stderr and "line 6" in done.stderr
        assert "Traceback" not in done.stderr
        assert path.read_bytes() == before


def test_wrong_shapes_exit_3_naming_the_problem(re_run, home):
    cases = {
        'default_profile = 3\n': "default_profile must be a string",
        'profiles = "x"\n': "`profiles` must be a table",
        '[profiles]\nx = 1\n': "profile `x` must be a table",
        '[profiles.x]\nhost = "h"\nuser = "u"\nport = "abc"\n': "`port` of profile `x` must be",
        '[profiles.x]\nhots = "h"\n': "unknown key `hots`",
        '[profiles.x]\nhost = "h"\nuser = "u"\ninsecure = true\nca_cert = "c.pem"\n':
            "choose one way to trust",
    }
    for text, problem in cases.items():
        path = write_config(home, text)
        done = re_run("profile", "list")
        assert done.code == 3, text
        assert problem in done.stderr and str(path) in done.stderr
        assert len(done.stderr.splitlines()) == 1
        assert path.read_text() == text


def test_a_failed_write_leaves_the_old_file(sandbox, home):
    path = write_config(home, HAND_WRITTEN)

    def no_file_writes():
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    done = subprocess.run(
        [sys.executable, "-m", "re_cli", "profile", "add", "x", "--host", "h", "--user", "u",
         "--no-check"],
        env=isolated_env(home), capture_output=True, text=True, stdin=subprocess.DEVNULL,
        preexec_fn=no_file_writes, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "cannot write config file" in done.stderr and "left as it was" in done.stderr
    assert path.read_text() == HAND_WRITTEN
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_exit_3_for_missing_or_bad_settings(re_run, home):
    nothing = re_run("bdbs", "list")
    assert nothing.code == 3 and "RE_HOST" in nothing.stderr

    only_host = re_run("bdbs", "list", env={"RE_HOST": "127.0.0.1"})
    assert only_host.code == 3 and "no user" in only_host.stderr

    write_config(home, 'default_profile = "gone"\n[profiles.other]\nhost = "h"\nuser = "u"\n')
    dangling = re_run("bdbs", "list")
    assert dangling.code == 3 and "default_profile `gone`" in dangling.stderr

    env = {"RE_HOST": "127.0.0.1", "RE_USER": "u", "RE_PASSWORD": "p"}
    for extra, problem in (({"RE_PORT": "0"}, "not a port number"),
                           ({"RE_PORT": "http"}, "not a port number"),
                           ({"RE_INSECURE": "maybe"}, "RE_INSECURE")):
        done = re_run("bdbs", "list", env={**env, **extra})
        assert done.code == 3 and problem in done.stderr, done.stderr

    missing_ca = re_run("bdbs", "list", env={**env, "RE_CA_CERT": str(home / "no.pem")})
    assert missing_ca.code == 3 and "CA file" in missing_ca.stderr


def test_environment_alone_needs_no_config_file(re_run, sandbox, home):
    done = re_run("bdbs", "list", "-o", "json", env=sandbox.env())
    assert done.code == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)
    assert not (home / "config").exists()


def test_precedence_flag_then_environment_then_profile(re_run, sandbox, home):
    good = profile_args(sandbox, "good")
    assert re_run(*good, input=sandbox.password() + "\n").code == 0
    closed_port = str(free_port())
    assert re_run("profile", "add", "bad", "--host", sandbox.host, "--port", closed_port,
                  "--user", "nobody@example.com", "--ca-cert", str(sandbox.ca_cert),
                  "--no-check").code == 0

    # -p beats RE_PROFILE, which beats default_profile (`good`, the first one added)
    assert re_run("profile", "test", env={"RE_PROFILE": "bad"}).code == 3
    assert re_run("-p", "good", "profile", "test", env={"RE_PROFILE": "bad"}).code == 0
    assert re_run("profile", "test").code == 0

    # environment beats the profile: host, port, user and password of `bad` replaced
    env = {"RE_PORT": str(sandbox.port), "RE_USER": sandbox.user(),
           "RE_PASSWORD": sandbox.password()}
    assert re_run("-p", "bad", "profile", "test", env=env).code == 0
    assert re_run("profile", "test", env={"RE_PASSWORD": "wrong"}).code == 4

    # TLS: the flag beats the environment, which beats the profile's CA file
    wrong_ca = home / "wrong-ca.pem"
    wrong_ca.write_text(ssl_self_signed_pem())
    assert re_run("profile", "test", env={"RE_CA_CERT": str(wrong_ca)}).code == 8
    assert re_run("profile", "test", "--ca-cert", str(sandbox.ca_cert),
                  env={"RE_CA_CERT": str(wrong_ca)}).code == 0
    assert re_run("profile", "test", "--ca-cert", str(wrong_ca)).code == 8
    insecure = re_run("profile", "test", "--insecure", env={"RE_CA_CERT": str(wrong_ca)})
    assert insecure.code == 0
    assert re_run("profile", "test", env={"RE_INSECURE": "1", "RE_CA_CERT": str(wrong_ca)}
                  ).code == 0

    # the default port when the profile has none
    assert re_run("profile", "add", "plain", "--host", "h", "--user", "u", "--no-check").code == 0
    assert json.loads(re_run("profile", "show", "plain", "-o", "json").stdout)["port"] == 9443


def ssl_self_signed_pem() -> str:
    """A CA certificate that did not sign the sandbox's certificate."""
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "someone else's CA")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=9))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_a_bad_timeout_exits_3(re_run, home):
    write_config(home, '[profiles.x]\nhost = "h"\nuser = "u"\ntimeout = -1\n')
    unchosen = re_run("bdbs", "list", env={"RE_PASSWORD": "p"})
    assert unchosen.code == 3 and "no profile chosen" in unchosen.stderr

    done = re_run("-p", "x", "bdbs", "list", env={"RE_PASSWORD": "p"})
    assert done.code == 3 and "timeout" in done.stderr
