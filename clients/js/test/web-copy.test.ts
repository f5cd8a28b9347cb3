// The web client loads the SDK's compiled modules from src/main/resources/web/assets/sdk/, which
// are committed so the server builds with a JDK alone. This keeps that copy equal to a fresh build.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const committed = resolve(root, '..', '..', 'src', 'main', 'resources', 'web', 'assets', 'sdk');

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(dir.length + 1))
    .sort();
}

test('the web client\'s copy of the SDK is what `npm run build:web` builds now', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'sdk-web-'));
  try {
    const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.web.json'), '--outDir', fresh], { cwd: root });
    assert.deepEqual(files(committed), files(fresh), 'run `npm run build:web` in clients/js and commit the result');
    for (const name of files(fresh)) {
      assert.equal(
        readFileSync(join(committed, name), 'utf8'),
        readFileSync(join(fresh, name), 'utf8'),
        `${name} differs: run \`npm run build:web\` in clients/js and commit the result`,
      );
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
