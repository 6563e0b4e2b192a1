#!/bin/sh
# System dependencies of the PDF report and the browser tests (Debian 12):
#   chromium                renders the PDF (pressreview/pdf.py) and runs tests/test_browser.py
#   poppler-utils           pdftotext/pdftoppm/pdfinfo: the PDF's table of contents and its tests
#   fonts-noto-color-emoji  emoji in the PDF and in screenshots
#   npm (only if missing)   to install axe-core, pinned in package-lock.json, into node_modules/
# Idempotent and quick when everything is there: apt is skipped when the programs and the
# font exist, npm when node_modules/ holds the pinned axe-core. Never downloads a browser of
# its own (no `playwright install`): Playwright drives the Debian chromium.
set -eu

cd "$(dirname "$0")/.."

say() { printf 'system-deps: %s\n' "$*"; }

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
{ command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; } \
    || missing="$missing poppler-utils"
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing="$missing fonts-noto-color-emoji"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -z "$missing" ]; then
    say "apt: nothing to do (chromium, poppler-utils, fonts-noto-color-emoji and npm are installed)"
else
    if [ "$(id -u)" -eq 0 ]; then
        run=""
    elif command -v sudo >/dev/null 2>&1; then
        run="sudo"
    else
        say "error: need root or sudo to install:$missing" >&2
        exit 1
    fi
    say "apt: installing$missing"
    $run apt-get update
    # shellcheck disable=SC2086  # word splitting of the package list is wanted
    DEBIAN_FRONTEND=noninteractive $run apt-get install -y --no-install-recommends $missing
    say "apt: installed$missing"
fi

pinned=$(sed -n '/"node_modules\/axe-core"/,/}/s/.*"version": "\([^"]*\)".*/\1/p' package-lock.json | head -n 1)
installed=""
if [ -f node_modules/axe-core/package.json ]; then
    installed=$(sed -n 's/^ *"version": "\([^"]*\)".*/\1/p' node_modules/axe-core/package.json | head -n 1)
fi
if [ -n "$pinned" ] && [ "$installed" = "$pinned" ] && [ -f node_modules/axe-core/axe.min.js ]; then
    say "npm: nothing to do (axe-core $installed in node_modules/)"
else
    say "npm: npm ci (axe-core ${pinned:-?} from package-lock.json; was: ${installed:-not installed})"
    npm ci --ignore-scripts --no-audit --no-fund
    say "npm: installed axe-core $pinned into node_modules/"
fi

say "chromium: $(chromium --version 2>/dev/null | head -n 1)"
say "done"
