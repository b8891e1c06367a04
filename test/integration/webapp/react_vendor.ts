// React and ReactDOM for the host page, as the Mattermost webapp puts them on
// window for plugins, built from npm packages by name so the browser test can run
// the plugin under several React majors: React 19 ships no UMD build, so each is
// bundled here with esbuild into one script. Development builds, so React's
// warnings (removed or deprecated APIs) reach the console, where the test reads them.
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { ROOT } from './build_bundle.js';

export interface ReactUnderTest {
  /** Package names: "react"/"react-dom" (the dev dependency, 18) or npm aliases such as "react-19"/"react-dom-19". */
  react: string;
  reactDom: string;
}

const requireHere = createRequire(`${ROOT}package.json`);

/** The installed version of a package, or undefined when it is not installed. */
export function installedVersion(name: string): string | undefined {
  try {
    return (requireHere(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export async function buildReactVendor({ react, reactDom }: ReactUnderTest): Promise<string> {
  const entry = [
    `import * as React from '${react}';`,
    `import * as ReactDOM from '${reactDom}';`,
    `import * as ReactDOMClient from '${reactDom}/client';`,
    'window.React = React;',
    'window.ReactDOM = Object.assign({}, ReactDOM, ReactDOMClient);',
  ].join('\n');
  // react-dom imports "react": send it to the same React as the page.
  const alias: Record<string, string> = react === 'react' ? {} : { react };
  const result = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    write: false,
    alias,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
