"""The dispatch loop over HTTPS: routing, headers, bodies and error shapes."""

import requests
from sandbox_client import session


def test_unknown_path_is_a_json_404(sandbox):
    r = session(sandbox).get(f"{sandbox.url}/v1/no_such_thing")
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "application/json"
    assert r.json()["error_code"] == "not_found"


def test_known_path_with_other_method_is_405(sandbox):
    r = session(sandbox).patch(f"{sandbox.url}/v1/nodes")
    assert r.status_code == 405
    assert r.json()["error_code"] == "method_not_allowed"


def test_unsupported_api_version_is_505_and_supported_ones_pass(sandbox):
    s = session(sandbox)
    r = s.get(f"{sandbox.url}/v1/cluster", headers={"x-api-version": "42"})
    assert r.status_code == 505
    assert r.json()["error_code"] == "unsupported_api_version"
    assert "message" in r.json()
    for value in ("1", "v1"):
        assert s.get(f"{sandbox.url}/v1/cluster", headers={"x-api-version": value}).ok


def test_body_with_wrong_or_missing_content_type_is_400(sandbox):
    s = session(sandbox)
    body = b'{"email": "ctype@example.com", "password": "pw-12345678", "role": "db_viewer"}'
    for headers in ({"Content-Type": "text/plain"}, {}):
        r = s.post(f"{sandbox.url}/v1/users", data=body, headers=headers)
        assert r.status_code == 400, headers
        assert r.json()["error_code"] == "invalid_content_type"
    assert not any(u["email"] == "ctype@example.com"
                   for u in s.get(f"{sandbox.url}/v1/users").json())


def test_malformed_body_is_400(sandbox):
    s = session(sandbox)
    r = s.put(f"{sandbox.url}/v1/cluster", data=b'{"email_alerts": ',
              headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error_code"] == "invalid_json"
    r = s.put(f"{sandbox.url}/v1/cluster", json=[1, 2])
    assert r.status_code == 400


def test_content_length_is_always_set(sandbox):
    s = session(sandbox)
    for r in (s.get(f"{sandbox.url}/v1/cluster"), s.get(f"{sandbox.url}/v1/nope"),
              s.put(f"{sandbox.url}/v1/nodes/3", json={"max_listeners": 100})):
        assert int(r.headers["Content-Length"]) == len(r.content)


def test_keep_alive_serves_many_requests_on_one_connection(sandbox):
    import base64
    import http.client
    import ssl

    context = ssl.create_default_context(cafile=str(sandbox.ca_cert))
    conn = http.client.HTTPSConnection("127.0.0.1", sandbox.port, context=context, timeout=10)
    token = base64.b64encode(f"{sandbox.user()}:{sandbox.password()}".encode()).decode()
    sockets = set()
    for _ in range(20):
        conn.request("GET", "/v1/nodes", headers={"Authorization": f"Basic {token}"})
        response = conn.getresponse()
        assert response.status == 200
        response.read()
        assert not response.will_close
        sockets.add(id(conn.sock))
    conn.close()
    assert len(sockets) == 1


def test_unimplemented_request_is_501_with_a_body_that_says_so(sandbox):
    import re_cli.sandbox.handlers as handlers
    from re_cli.sandbox import routes

    handlers.load_all()
    missing = [e for e in routes.ENTRIES if e.method == "GET" and "{" not in e.path
               and (e.method, e.path) not in routes.HANDLERS]
    if not missing:
        return
    entry = missing[0]
    r = session(sandbox).get(sandbox.url + entry.path)
    assert r.status_code == 501
    assert r.json() == {"error_code": "not_implemented",
                        "message": f"the sandbox does not implement GET {entry.path} yet"}


def test_bootstrap_needs_no_credentials(sandbox):
    r = session(sandbox, role=None).get(f"{sandbox.url}/v1/bootstrap")
    assert r.status_code not in (401, 403)


def test_plain_http_is_refused(sandbox):
    try:
        r = requests.get(f"http://127.0.0.1:{sandbox.port}/v1/cluster", timeout=5)
    except requests.ConnectionError:
        return
    assert r.status_code >= 400
