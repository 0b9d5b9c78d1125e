// SPDX-License-Identifier: Apache-2.0
// The README's examples marked `readme-example` compile against the package's own types, imported by
// its published name (a self-reference through package.json "exports"), so the README cannot drift.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the README's examples type-check against dist/index.d.ts", () => {
  const readme = readFileSync(`${root}/README.md`, "utf8");
  const blocks = [...readme.matchAll(/<!-- readme-example[^>]*-->\n```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2, "the README has its examples");
  const dir = `${root}/test/.readme`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    blocks.forEach((code, i) => writeFileSync(`${dir}/example${i}.ts`, code));
    writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: ["node"] },
      include: ["*.ts"],
    }));
    try {
      execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", `${dir}/tsconfig.json`], { encoding: "utf8" });
    } catch (e) {
      assert.fail(`tsc refused the README's examples:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
