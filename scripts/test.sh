#!/usr/bin/env bash
# npm test: the whole suite twice, once on each store (SQLite, then PostgreSQL), as CI runs it.
# Extra arguments go to vitest (e.g. a file filter). Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
for store in sqlite postgres; do
  echo "== tests on $store"
  rm -f ".vitest-results-$store.json"
  SEATWARDEN_TEST_STORE=$store npx vitest run --reporter=default --reporter=json \
    --outputFile.json=".vitest-results-$store.json" "$@" || status=1
done

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const store of ["sqlite", "postgres"]) {
    const file = `.vitest-results-${store}.json`;
    if (!fs.existsSync(file)) { console.log(`${store}: no results (the run did not finish)`); failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    console.log(`${store}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    passed += r.numPassedTests; failed += r.numFailedTests;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  process.exit(failed > 0 ? 1 : 0);
' || status=1
exit "$status"
