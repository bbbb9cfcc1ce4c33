"""Help topics (`re help TOPIC`), shared with the man pages.

A topic is a list of blocks: ("p", paragraph), ("dl", [(term, text), ...]) or
("pre", verbatim lines). `render_text` lays them out for a terminal; re_cli.manpages
turns the same blocks into roff, so the two never disagree.
"""

from re_cli.errors import EXIT_CODES

CONFIG_PATH = "~/.config/re/config.toml"
CACHE_DIR = "~/.cache/re"
SANDBOX_DIR = "~/.local/share/re/sandbox"

ENVIRONMENT = [
    ("RE_PROFILE", "The profile to use when -p/--profile is not given; it must exist in the "
                   "config file."),
    ("RE_CONFIG", f"The config file to read and write instead of {CONFIG_PATH}."),
    ("RE_HOST", "The cluster's host name or address. With RE_USER it is enough to connect: "
                "no config file is needed (CI jobs, containers)."),
    ("RE_PORT", "The REST API port (9443 when nothing says otherwise)."),
    ("RE_USER", "The user to authenticate as, usually an email address."),
    ("RE_PASSWORD", "The password. It wins over every other source, so a job can inject it "
                    "without a keyring. It is never printed."),
    ("RE_INSECURE", "1 (or true, yes, on) turns certificate verification off, like "
                    "--insecure; 0 (or false, no, off) keeps it on."),
    ("RE_CA_CERT", "A PEM file of the CA that signed the cluster's certificate, like "
                   "--ca-cert."),
    ("NO_COLOR", "When set to anything, output has no colour (as --no-color)."),
    ("RE_DEBUG", "When set, an unexpected error prints its traceback instead of one line."),
    ("XDG_CONFIG_HOME", "Moves the config dir: $XDG_CONFIG_HOME/re/config.toml."),
    ("XDG_CACHE_HOME", "Moves the cache dir (names for tab completion): $XDG_CACHE_HOME/re."),
    ("XDG_DATA_HOME", "Moves the sandbox's default data dir: $XDG_DATA_HOME/re/sandbox."),
    ("PYTHON_KEYRING_BACKEND", "Chooses the keyring backend that stores passwords "
                               "(the keyring library's own setting)."),
    ("RE_COMPLETION_TIMEOUT", "Seconds that tab completion may spend asking the cluster for "
                              "names when its cache is old (1 when unset)."),
    ("_RE_COMPLETE", "Set by the completion scripts when the shell asks `re` for "
                     "completions; not for use by hand."),
]

FILES = [
    (CONFIG_PATH, "Profiles and the default profile (see re help config). Written with "
                  "mode 0600; comments and key order are kept."),
    (f"{CACHE_DIR}/PROFILE/names.json", "Object names the current cluster had lately, for "
                                        "tab completion; safe to delete."),
    (SANDBOX_DIR, "The sandbox's state, CA and certificates, unless --data-dir says "
                  "otherwise."),
]

# Any 64 hex digits will do in an example; these are the SHA-256 of b"example".
EXAMPLE_FINGERPRINT = ("50:D8:58:E0:98:5E:CC:7F:60:41:8A:AF:0C:C5:AB:58:"
                       "7F:42:C2:57:0A:88:40:95:A9:E8:CC:AC:D0:F6:54:5C")

EXAMPLE_CONFIG = f"""\
default_profile = "prod"

[profiles.prod]
host = "cluster.example.com"
port = 9443
user = "admin@example.com"
ca_cert = "~/certs/prod-ca.pem"
timeout = 20

[profiles.lab]
host = "10.0.0.12"
user = "ops@example.com"
fingerprint = "{EXAMPLE_FINGERPRINT}"
password_command = "pass show re/lab"

[profiles.sandbox]
host = "127.0.0.1"
user = "admin@re.local"
insecure = true"""

TOPICS = {
    "exit-codes": (
        "What each exit status of `re` means.",
        [
            ("p", "Every failure ends with one line on standard error and one of these exit "
                  "statuses, so scripts can tell a missing object from an outage."),
            ("dl", [(str(code), text) for code, text in EXIT_CODES]),
            ("p", "A request that fails prints its HTTP status, the server's error code and "
                  "message, and the method and path it was sent to."),
        ],
    ),
    "environment": (
        "Environment variables that `re` reads.",
        [
            ("p", "A command-line flag beats the environment, and the environment beats the "
                  "profile in the config file."),
            ("dl", ENVIRONMENT),
        ],
    ),
    "config": (
        "The config file: profiles and their settings.",
        [
            ("p", f"Profiles live in a TOML file, {CONFIG_PATH} (or $XDG_CONFIG_HOME/re/"
                  "config.toml, or the file named by RE_CONFIG). `re profile add` writes it; "
                  "editing it by hand is fine too, and `re` keeps your comments when it "
                  "changes the file later."),
            ("p", "Each profile is a table [profiles.NAME] with these keys:"),
            ("dl", [
                ("host", "Host name or address of any node of the cluster (required)."),
                ("port", "REST API port; 9443 when absent."),
                ("user", "The user to sign in as (required)."),
                ("ca_cert", "A PEM file of the CA to verify the server with (see re help "
                            "tls)."),
                ("fingerprint", "The SHA-256 fingerprint of the one certificate to accept."),
                ("insecure", "true to skip certificate verification."),
                ("password_command", "A command whose first line of output is the password "
                                     "(a password manager, a vault client)."),
                ("timeout", "Seconds to wait for a connection and for each response."),
            ]),
            ("p", "At the top level, default_profile names the profile used when neither "
                  "-p/--profile nor RE_PROFILE picks one."),
            ("p", "Passwords are never stored in this file: they come from RE_PASSWORD, "
                  "--password-stdin, the system keyring (one entry per profile), the "
                  "profile's password_command, or a prompt on a terminal, in that order."),
            ("p", "An example:"),
            ("pre", EXAMPLE_CONFIG),
        ],
    ),
    "tls": (
        "How `re` decides to trust a cluster's certificate.",
        [
            ("p", "Certificate verification is on unless you turn it off. A profile trusts "
                  "the server in one of four ways:"),
            ("dl", [
                ("system CAs", "The default: the certificate must chain to a CA the "
                               "operating system trusts and name the host."),
                ("ca_cert", "The certificate must chain to the CA in this PEM file: the "
                            "usual choice for a cluster with its own CA. --ca-cert FILE or "
                            "RE_CA_CERT set it for one run."),
                ("fingerprint", "Only the certificate with this SHA-256 fingerprint is "
                                "accepted, whoever signed it. When it changes, `re` stops "
                                "with exit status 8 and shows both fingerprints."),
                ("insecure", "No check at all (--insecure, RE_INSECURE=1 or insecure = "
                             "true). `re` warns once per run; use it only on a lab "
                             "cluster."),
            ]),
            ("p", "Trust on first use, as ssh does it: when `re profile add` meets a "
                  "certificate that does not verify, it shows the certificate's SHA-256 "
                  "fingerprint, subject and expiry and offers to pin it. Scripts pass "
                  "--pin-fingerprint with the value they expect instead. Compare the "
                  "fingerprint with the one the cluster shows "
                  "(`openssl x509 -noout -fingerprint -sha256 -in proxy_cert.pem` on a node) "
                  "before you accept it."),
            ("p", "With --curl, the printed curl command uses the same trust: --cacert for a "
                  "CA file, --pinnedpubkey for a pinned certificate when its public key can "
                  "be read, else -k with a comment saying so."),
        ],
    ),
}


def names() -> list[str]:
    return list(TOPICS)


def summary(name: str) -> str:
    return TOPICS[name][0]


def render_text(name: str, width: int = 80) -> str:
    """The topic for a terminal: title, paragraphs, aligned definitions."""
    import textwrap

    title, blocks = name, TOPICS[name][1]
    out = [f"re help {title}: {summary(name)}", ""]
    for kind, content in blocks:
        if kind == "p":
            out += textwrap.wrap(content, width - 2, initial_indent="  ",
                                 subsequent_indent="  ", break_on_hyphens=False)
        elif kind == "pre":
            out += ["    " + line if line else "" for line in content.splitlines()]
        else:
            term_width = min(max(len(term) for term, _ in content), 22)
            for term, text in content:
                lead = f"  {term:<{term_width}}  "
                pad = " " * len(f"  {'':<{term_width}}  ")
                if len(term) > term_width:
                    out.append(f"  {term}")
                    lead = pad
                out += textwrap.wrap(text, width, initial_indent=lead, subsequent_indent=pad,
                                     break_on_hyphens=False)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
