#!/usr/bin/env bash
# SPID conformance: spid-sp-test (AgID's SP test suite) against the running service provider.
# Metadata and AuthnRequest checks must all pass; crafted responses may fail only the checks
# listed in docs/spid-conformance.md (KNOWN_RESPONSE_FAILURES).
set -euo pipefail
cd "$(dirname "$0")/.."
KNOWN_RESPONSE_FAILURES=1
PORT=8077
BASE="http://localhost:$PORT"
TOOLS=var/spid-sp-test-venv
if [ ! -x "$TOOLS/bin/spid_sp_test" ]; then
    python3.11 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install --quiet spid-sp-test==1.2.18
fi
mkdir -p var/spid-sp-test-idp var/spid-sp-test
"$TOOLS/bin/spid_sp_test" --idp-metadata > var/spid-sp-test-idp/spid-sp-test.xml

export DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=false ALLOWED_HOSTS=localhost,127.0.0.1
export DATABASE_URL="sqlite:///$(pwd)/var/spid-sp-test/db.sqlite3" SPID_BASE_URL="$BASE"
export SPID_IDP_METADATA_DIR="$(pwd)/var/spid-sp-test-idp"
unset CELERY_BROKER_URL REDIS_URL
rm -f var/spid-sp-test/db.sqlite3
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py runserver "127.0.0.1:$PORT" --noreload > var/spid-sp-test/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$BASE/spid/metadata/" >/dev/null && break; sleep 1; done

run() { "$TOOLS/bin/spid_sp_test" --metadata-url "$BASE/spid/metadata/" --extra -pr spid-sp-public -rf json "$@" 2>/dev/null | tail -1; }
failures() { python3 -c "import json,sys
n=0
def walk(o):
    global n
    if isinstance(o,dict):
        n += o.get('result') in ('failure','error')
        [walk(v) for v in o.values()]
    elif isinstance(o,list):
        [walk(v) for v in o]
walk(json.load(open(sys.argv[1]))); print(n)" "$1"; }

run -o var/spid-sp-test/metadata.json --exit-zero
# The eIDAS profile (FICEP, Italy's node): the attribute sets 99 and 100 of the same metadata.
"$TOOLS/bin/spid_sp_test" --metadata-url "$BASE/spid/metadata/" --extra -pr ficep-eidas-sp -rf json -o var/spid-sp-test/eidas.json --exit-zero 2>/dev/null | tail -1
run --authn-url "$BASE/spid/login/?idp=https://localhost:8443" -o var/spid-sp-test/authn.json --exit-zero
run --authn-url "$BASE/spid/login/?idp=https://localhost:8443" -tr -o var/spid-sp-test/responses.json --exit-zero
md=$(failures var/spid-sp-test/metadata.json); eidas=$(failures var/spid-sp-test/eidas.json); authn=$(failures var/spid-sp-test/authn.json); resp=$(failures var/spid-sp-test/responses.json)
echo "spid-sp-test failures: metadata=$md eidas=$eidas authn+metadata=$authn responses=$resp (known: $KNOWN_RESPONSE_FAILURES)"
[ "$md" -eq 0 ] && [ "$eidas" -eq 0 ] && [ "$authn" -eq 0 ] && [ "$resp" -le "$KNOWN_RESPONSE_FAILURES" ]
