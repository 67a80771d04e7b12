#!/usr/bin/env bash
# page_quality.sh - quality gate numbers for cvgen's built page, offline.
#
#   The project's own copy of ../shared/tools/page_quality.sh (same pinned tools, same output
#   line), adapted to cvgen: DIR defaults to output/, the preset to mobile, the page is served
#   together with a stand-in counter API (POST/GET /api/views answers like the real one, so
#   the page is measured as deployed; --no-api serves the files alone), and --check turns the
#   issue's bars into the exit status.
#
#   Lighthouse (performance, accessibility, best practices, SEO; page weight),
#   axe-core (violations by rule, via puppeteer-core), Nu Html Checker (vnu.jar).
#
# Usage:
#   page_quality.sh [options] [DIR]        DIR (default output) must contain index.html
#   page_quality.sh --install [DIR]        install the tools (apt + npm), then run if DIR given
#
# Options:
#   --install              apt-get install chromium (+ java/node if missing), npm install the
#                          pinned tools into $FE_TOOLS (default ~/.cache/page-quality-tools). Needs root.
#   --runs N               Lighthouse runs; the median run (Lighthouse's own median-run
#                          helper: FCP + TTI) is reported. Default 3.
#   --preset P             mobile (default) or desktop.
#   --throttling M         simulate (default), devtools or provided.
#   --out DIR              keep the raw JSON (lh-N.json, axe.json, vnu.json, summary.json).
#   --allow-external       do not block non-loopback hosts (default: every host except
#                          127.0.0.1 resolves to NOTFOUND inside Chromium, so a page's CDN /
#                          font links fail fast and nothing leaves loopback).
#   --no-api               serve DIR only: POST /api/views then fails (501), as on a plain host.
#   --check                exit 1 unless a11y, bp and seo are 100, perf >= 95, 0 axe violations,
#                          0 vnu errors and warnings, bytes <= 20480 and 0 external requests.
#   -h, --help
#
# Output: one line on stdout, first the fields
#   perf= a11y= bp= seo= axe_violations= vnu_errors= bytes= requests=
# then extras (axe_nodes, axe_rules, vnu_warnings, bytes_gz, failed_requests,
# external_requests, fcp_ms, lcp_ms, tbt_ms, cls, si_ms, perf_runs, preset, throttling).
# Scores are 0-100. bytes = Lighthouse total-byte-weight (transfer bytes as served by
# python http.server, i.e. uncompressed); bytes_gz = the same loopback responses gzip -9'd
# (what a compressing host would send). requests counts every request Chromium made,
# including failed external ones (also counted in failed_requests / external_requests).
#
# Exit: 0 ok, 1 a bar missed (--check), 2 usage, 3 tools missing, 4 a tool failed.
#
# Environment: FE_TOOLS (default ~/.cache/page-quality-tools), CHROME_PATH (default /usr/bin/chromium),
#              JAVA (default java), PYTHON (default python3).

set -uo pipefail

FE_TOOLS=${FE_TOOLS:-$HOME/.cache/page-quality-tools}
CHROME=${CHROME_PATH:-/usr/bin/chromium}
JAVA=${JAVA:-java}
PYTHON=${PYTHON:-python3}

# Pinned versions (the ones the baseline was measured with).
LH_VER=12.8.2
AXE_VER=4.14.1
PPTR_VER=24.43.1
VNU_VER=26.9.27

RUNS=3
PRESET=mobile
API=1
CHECK=0
THROTTLING=simulate
OUT=""
INSTALL=0
BLOCK_EXTERNAL=1
DIR=""

die() { echo "page_quality: $*" >&2; exit "${2:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --install) INSTALL=1 ;;
    --runs) RUNS=${2:?}; shift ;;
    --runs=*) RUNS=${1#*=} ;;
    --preset) PRESET=${2:?}; shift ;;
    --preset=*) PRESET=${1#*=} ;;
    --throttling) THROTTLING=${2:?}; shift ;;
    --throttling=*) THROTTLING=${1#*=} ;;
    --out) OUT=${2:?}; shift ;;
    --out=*) OUT=${1#*=} ;;
    --allow-external) BLOCK_EXTERNAL=0 ;;
    --no-api) API=0 ;;
    --check) CHECK=1 ;;
    -h|--help) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$DIR" ] || die "only one DIR"; DIR=$1 ;;
  esac
  shift
done

case "$PRESET" in desktop|mobile) ;; *) die "--preset must be desktop or mobile" ;; esac
case "$THROTTLING" in simulate|devtools|provided) ;; *) die "--throttling must be simulate, devtools or provided" ;; esac
case "$RUNS" in ''|*[!0-9]*|0) die "--runs must be a positive integer" ;; esac

VNU_JAR="$FE_TOOLS/node_modules/vnu-jar/build/dist/vnu.jar"
LH_BIN="$FE_TOOLS/node_modules/.bin/lighthouse"

install_tools() {
  [ "$(id -u)" = 0 ] || die "--install needs root (apt-get)" 3
  local pkgs="" updated=0
  [ -x "$CHROME" ] || pkgs="$pkgs chromium chromium-driver"
  command -v "$JAVA" >/dev/null 2>&1 || pkgs="$pkgs default-jre-headless"
  command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
  command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
  command -v "$PYTHON" >/dev/null 2>&1 || pkgs="$pkgs python3"
  if [ -n "$pkgs" ]; then
    echo "page_quality: apt-get install$pkgs" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && updated=1
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >&2 || die "apt-get install failed" 3
  fi
  : "$updated"
  mkdir -p "$FE_TOOLS"
  [ -f "$FE_TOOLS/package.json" ] || echo '{"name":"fe-tools","private":true}' > "$FE_TOOLS/package.json"
  echo "page_quality: npm install into $FE_TOOLS" >&2
  # --ignore-scripts: no package may fetch a browser, driver or JDK of its own.
  ( cd "$FE_TOOLS" && PUPPETEER_SKIP_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true \
      npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
      "lighthouse@$LH_VER" "axe-core@$AXE_VER" "puppeteer-core@$PPTR_VER" "vnu-jar@$VNU_VER" >&2 ) \
    || die "npm install failed" 3
}

if [ "$INSTALL" = 1 ]; then
  install_tools
  [ -n "$DIR" ] || { echo "page_quality: tools installed in $FE_TOOLS" >&2; exit 0; }
fi

[ -n "$DIR" ] || DIR=output
[ -f "$DIR/index.html" ] || die "$DIR/index.html not found"
DIR=$(cd "$DIR" && pwd)

missing=""
[ -x "$CHROME" ] || missing="$missing chromium($CHROME)"
command -v node >/dev/null 2>&1 || missing="$missing node"
command -v "$JAVA" >/dev/null 2>&1 || missing="$missing java"
command -v "$PYTHON" >/dev/null 2>&1 || missing="$missing python3"
[ -x "$LH_BIN" ] || missing="$missing lighthouse($LH_BIN)"
[ -f "$FE_TOOLS/node_modules/axe-core/axe.min.js" ] || missing="$missing axe-core"
[ -d "$FE_TOOLS/node_modules/puppeteer-core" ] || missing="$missing puppeteer-core"
[ -f "$VNU_JAR" ] || missing="$missing vnu.jar($VNU_JAR)"
if [ -n "$missing" ]; then
  echo "page_quality: missing tools:$missing (run with --install)" >&2
  exit 3
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/page-quality.XXXXXX")
SRV_PID=""
cleanup() {
  if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- static server on a free loopback port --------------------------------------------
PORT=$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$WORK/serve.py" <<'EOF'
"""DIR on 127.0.0.1:PORT like http.server, plus a stand-in for the counter API."""
import functools, http.server, json, sys
port, folder, api = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
views = {}

class Handler(http.server.SimpleHTTPRequestHandler):
    def _api(self, count):
        if not api or self.path.split("?")[0] != "/api/views":
            return self.send_error(501 if count else 404)
        page = "/"
        if count:
            try:
                length = int(self.headers.get("Content-Length") or 0)
                page = json.loads(self.rfile.read(length) or b"{}").get("page", "/")
            except ValueError:
                pass
            views[page] = views.get(page, 0) + 1
        body = json.dumps({"page": page, "views": views.get(page, 0)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self._api(True)

    def do_GET(self):
        if self.path.startswith("/api/"):
            return self._api(False)
        super().do_GET()

handler = functools.partial(Handler, directory=folder)
http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
EOF
"$PYTHON" "$WORK/serve.py" "$PORT" "$DIR" "$API" >"$WORK/http.log" 2>&1 &
SRV_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "$SRV_PID" 2>/dev/null || die "http.server died: $(cat "$WORK/http.log")" 4
  sleep 0.1
done
URL="http://127.0.0.1:$PORT/"

# --- Chromium flags ------------------------------------------------------------------
BASE_FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
RESOLVER_RULES="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"

# --- Lighthouse ----------------------------------------------------------------------
LH_ARGS=(--output=json --quiet "--throttling-method=$THROTTLING")
[ "$PRESET" = desktop ] && LH_ARGS+=(--preset=desktop)
for i in $(seq 1 "$RUNS"); do
  ud=$(mktemp -d "$WORK/ud.XXXXXX")
  flags="$BASE_FLAGS --user-data-dir=$ud"
  [ "$BLOCK_EXTERNAL" = 1 ] && flags="$flags --host-resolver-rules='$RESOLVER_RULES'"
  if ! CHROME_PATH="$CHROME" "$LH_BIN" "$URL" --chrome-flags="$flags" "${LH_ARGS[@]}" \
        --output-path="$WORK/lh-$i.json" >"$WORK/lh-$i.log" 2>&1; then
    echo "page_quality: lighthouse run $i failed:" >&2; tail -20 "$WORK/lh-$i.log" >&2; exit 4
  fi
  rm -rf "$ud"
done

# --- axe-core via puppeteer-core -------------------------------------------------------
cat >"$WORK/axe-run.cjs" <<'EOF'
'use strict';
// axe-core on system Chromium through puppeteer-core (no browser download).
const fs = require('fs'), os = require('os'), path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = require('axe-core').source;
(async () => {
  const [url, out] = process.argv.slice(2);
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (process.env.PQ_BLOCK_EXTERNAL === '1') args.push('--host-resolver-rules=' + process.env.PQ_RESOLVER_RULES);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'axe-ud-'));
  const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH, headless: true,
    userDataDir, args, defaultViewport: { width: 1350, height: 940 } });
  try {
    const page = await browser.newPage();
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    if (!resp || !resp.ok()) throw new Error('page load failed: ' + (resp && resp.status()));
    await page.evaluate(axeSource);
    const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const byRule = {};
    for (const v of res.violations) byRule[v.id] = { impact: v.impact, nodes: v.nodes.length, tags: v.tags, help: v.help };
    fs.writeFileSync(out, JSON.stringify({ axeVersion: res.testEngine.version, violations: res.violations.length,
      nodes: res.violations.reduce((n, v) => n + v.nodes.length, 0), byRule, raw: res.violations }, null, 1));
  } finally {
    await browser.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
})().catch(e => { console.error(e && e.stack || String(e)); process.exit(1); });
EOF
if ! NODE_PATH="$FE_TOOLS/node_modules" CHROME_PATH="$CHROME" PQ_BLOCK_EXTERNAL="$BLOCK_EXTERNAL" \
      PQ_RESOLVER_RULES="$RESOLVER_RULES" TMPDIR="$WORK" node "$WORK/axe-run.cjs" "$URL" "$WORK/axe.json" >"$WORK/axe.log" 2>&1; then
  echo "page_quality: axe failed:" >&2; tail -20 "$WORK/axe.log" >&2; exit 4
fi

# --- Nu Html Checker -------------------------------------------------------------------
# vnu writes its JSON report to stderr; exit status is non-zero when errors are found.
"$JAVA" -jar "$VNU_JAR" --format json --exit-zero-always "$DIR/index.html" 2>"$WORK/vnu.json" >/dev/null
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$WORK/vnu.json" 2>/dev/null; then
  echo "page_quality: vnu failed:" >&2; head -20 "$WORK/vnu.json" >&2; exit 4
fi

# --- summary ---------------------------------------------------------------------------
cat >"$WORK/summarize.mjs" <<'EOF'
import fs from 'fs';
import zlib from 'zlib';
import path from 'path';
import { pathToFileURL } from 'url';
const [work, runs, feTools, preset, throttling, siteDir] = process.argv.slice(2);
const { computeMedianRun } = await import(pathToFileURL(path.join(feTools, 'node_modules/lighthouse/core/lib/median-run.js')).href);
const lhrs = [];
for (let i = 1; i <= Number(runs); i++) lhrs.push(JSON.parse(fs.readFileSync(`${work}/lh-${i}.json`, 'utf8')));
for (const r of lhrs) if (r.runtimeError) { console.error('lighthouse runtimeError: ' + JSON.stringify(r.runtimeError)); process.exit(4); }
const lhr = lhrs.length > 1 ? computeMedianRun(lhrs) : lhrs[0];
const score = c => (lhr.categories[c] && lhr.categories[c].score !== null) ? Math.round(lhr.categories[c].score * 100) : 'NA';
const num = id => (lhr.audits[id] && typeof lhr.audits[id].numericValue === 'number') ? lhr.audits[id].numericValue : NaN;
const reqs = (lhr.audits['network-requests'].details || {}).items || [];
const origin = new URL(lhr.finalDisplayedUrl || lhr.requestedUrl).origin;
const isLocal = u => { try { return new URL(u).origin === origin; } catch { return false; } };
let gz = 0;
for (const r of reqs) {
  if (!isLocal(r.url) || r.statusCode !== 200) continue;
  let p = decodeURIComponent(new URL(r.url).pathname);
  if (p.endsWith('/')) p += 'index.html';
  const f = path.join(siteDir, p);
  if (fs.existsSync(f) && fs.statSync(f).isFile()) gz += zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
}
const axe = JSON.parse(fs.readFileSync(`${work}/axe.json`, 'utf8'));
const vnu = JSON.parse(fs.readFileSync(`${work}/vnu.json`, 'utf8'));
const vnuErrors = vnu.messages.filter(m => m.type === 'error' || m.type === 'non-document-error').length;
const vnuWarnings = vnu.messages.filter(m => m.type === 'info' && m.subType === 'warning').length;
const s = {
  perf: score('performance'), a11y: score('accessibility'), bp: score('best-practices'), seo: score('seo'),
  axe_violations: axe.violations, vnu_errors: vnuErrors,
  bytes: Math.round(num('total-byte-weight')), requests: reqs.length,
  axe_nodes: axe.nodes, axe_rules: Object.keys(axe.byRule).join(',') || '-',
  vnu_warnings: vnuWarnings, bytes_gz: gz,
  failed_requests: reqs.filter(r => !(r.statusCode >= 200 && r.statusCode < 400)).length,
  external_requests: reqs.filter(r => !isLocal(r.url) && !r.url.startsWith('data:')).length,
  fcp_ms: Math.round(num('first-contentful-paint')), lcp_ms: Math.round(num('largest-contentful-paint')),
  tbt_ms: Math.round(num('total-blocking-time')), cls: +num('cumulative-layout-shift').toFixed(3),
  si_ms: Math.round(num('speed-index')),
  perf_runs: lhrs.map(r => Math.round(r.categories.performance.score * 100)).join(','),
  preset, throttling,
};
const detail = {
  summary: s,
  lighthouseVersion: lhr.lighthouseVersion, chrome: lhr.environment.hostUserAgent, axeVersion: axe.axeVersion,
  vnuVersion: vnu.version,
  failedAudits: Object.entries(lhr.audits).filter(([, a]) => a.score !== null && a.score < 1 &&
      ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode)).map(([id, a]) => `${id}:${a.score}`),
  requests: reqs.map(r => ({ url: r.url, status: r.statusCode, transferSize: r.transferSize, type: r.resourceType })),
  axeByRule: axe.byRule,
  vnuErrors: vnu.messages.filter(m => m.type === 'error').map(m => `${m.lastLine}: ${m.message}`),
};
fs.writeFileSync(`${work}/summary.json`, JSON.stringify(detail, null, 1));
console.log(Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' '));
EOF
if ! node "$WORK/summarize.mjs" "$WORK" "$RUNS" "$FE_TOOLS" "$PRESET" "$THROTTLING" "$DIR" >"$WORK/line.txt" 2>"$WORK/sum.log"; then
  echo "page_quality: summary failed:" >&2; cat "$WORK/sum.log" >&2; exit 4
fi

if [ -n "$OUT" ]; then
  mkdir -p "$OUT"
  cp "$WORK"/lh-*.json "$WORK/axe.json" "$WORK/vnu.json" "$WORK/summary.json" "$OUT/"
  cp "$WORK/line.txt" "$OUT/summary.txt"
fi
cat "$WORK/line.txt"
if [ "$CHECK" = 1 ]; then
  declare -A got
  read -r -a fields <"$WORK/line.txt"
  for field in "${fields[@]}"; do got[${field%%=*}]=${field#*=}; done
  missed=""
  for key in a11y bp seo; do [ "${got[$key]}" = 100 ] || missed="$missed $key=${got[$key]}"; done
  [ "${got[perf]}" -ge 95 ] 2>/dev/null || missed="$missed perf=${got[perf]}"
  for key in axe_violations vnu_errors vnu_warnings external_requests; do
    [ "${got[$key]}" = 0 ] || missed="$missed $key=${got[$key]}"
  done
  [ "${got[bytes]}" -le 20480 ] 2>/dev/null || missed="$missed bytes=${got[bytes]}"
  if [ -n "$missed" ]; then echo "page_quality: bars missed:$missed" >&2; exit 1; fi
  echo "page_quality: every bar met" >&2
fi
