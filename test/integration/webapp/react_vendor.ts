// React and ReactDOM for the host page, as the Mattermost webapp puts them on
// window for plugins, built from npm packages so the browser test can run the
// plugin under several React majors: React 19 ships no UMD build, so each is
// bundled here with esbuild into one script. Development builds, so React's
// warnings (removed or deprecated APIs) reach the console, where the test reads them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './build_bundle.js';

export interface ReactUnderTest {
  /** The React major this run must get. */
  major: number;
  /** The folder whose node_modules hold this React's `react` and `react-dom`. */
  dir: string;
  /** What to do when they are missing, for the failure message. */
  install: string;
}

export const REACT_18: ReactUnderTest = { major: 18, dir: ROOT, install: 'npm install (react 18 is a dev dependency)' };
// A local package of its own (react19-for-tests), so its react-dom resolves its own react, not the root's 18.
export const REACT_19: ReactUnderTest = {
  major: 19,
  dir: join(ROOT, 'test/react19'),
  install: 'npm install (test/react19 is the local package react19-for-tests in devDependencies)',
};

function versionIn(dir: string, name: string): string | undefined {
  try {
    return (createRequire(join(dir, 'package.json'))(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** The installed version of this React (react and react-dom alike); throws a clear error when missing or of another major. */
export function reactVersion(under: ReactUnderTest): string {
  const react = versionIn(under.dir, 'react');
  const dom = versionIn(under.dir, 'react-dom');
  const major = (v: string | undefined) => Number(v?.split('.')[0]);
  if (!react || !dom || major(react) !== under.major || major(dom) !== under.major)
    throw new Error(
      `React ${under.major} is needed for this test but ${under.dir} has react ${react ?? 'missing'} and react-dom ${dom ?? 'missing'}: run ${under.install}.`,
    );
  return react;
}

export async function buildReactVendor(under: ReactUnderTest): Promise<string> {
  reactVersion(under);
  const entry = [
    "import * as React from 'react';",
    "import * as ReactDOM from 'react-dom';",
    "import * as ReactDOMClient from 'react-dom/client';",
    'window.React = React;',
    'window.ReactDOM = Object.assign({}, ReactDOM, ReactDOMClient);',
  ].join('\n');
  // Resolved from the React's own folder; react-dom's own `require('react')` resolves next to it, so both are the same major.
  const result = await build({
    stdin: { contents: entry, resolveDir: under.dir, loader: 'js' },
    bundle: true,
    format: 'iife',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
