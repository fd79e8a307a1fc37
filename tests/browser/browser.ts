// Launches Debian's chromium through playwright-core for the browser tests; a missing browser is a failure, not a skip.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots land here (CI keeps the folder as a test artifact). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

/** Flags for a headless run in a container without GPU, sandbox or background traffic. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Launches chromium or throws a message saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`browser tests need chromium at ${CHROMIUM_PATH} — install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export function artifact(name: string): string {
  return path.join(ARTIFACTS, name);
}
