// The README's standalone quick start as data: the server settings, the
// service's environment and start command, and setup's command line, read
// from README.md itself, so a change there that no longer works fails the
// test that follows it (readme_quick_start.test.ts). The README's example
// addresses and placeholders are replaced by the test's; any other
// placeholder fails loudly.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const SECTION = '## Quick start: Mattermost v12 (standalone host)';

export interface QuickStart {
  /** The section's text, prose included. */
  text: string;
  /** The server settings block: MM_* variables as written. */
  serverSettings: Record<string, string>;
  /** The variables the service's shell exports, as written. */
  serviceEnv: Record<string, string>;
  /** The commands after them, split at `&&`. */
  serviceCommands: string[];
  /** Setup's line: its variables and its words. */
  setupEnv: Record<string, string>;
  setupCommand: string[];
}

/** The README's example values and what stands in for them in a test. */
export interface Substitutes {
  mattermostUrl: string;
  rootUrl: string;
  encryptionKey: string;
  adminToken: string;
}

/** Shell words of one logical line: quotes removed, backslash-newlines joined. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s'"]+)/g;
  let current = '';
  let last = -1;
  for (const m of line.matchAll(re)) {
    const piece = m[1] ?? m[2] ?? m[3] ?? '';
    // Adjacent pieces (KEY='value') form one word.
    if (m.index === last) current += piece;
    else {
      if (last !== -1) out.push(current);
      current = piece;
    }
    last = m.index + m[0].length;
  }
  if (last !== -1) out.push(current);
  return out;
}

function assignment(word: string): [string, string] | undefined {
  const m = /^([A-Z][A-Z0-9_]*)=(.*)$/s.exec(word);
  return m ? [m[1]!, m[2]!] : undefined;
}

function shellBlocks(text: string): string[][] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    m[1]!
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

export function readQuickStart(): QuickStart {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no section "${SECTION}"`);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const text = readme.slice(start, end < 0 ? undefined : end);
  const blocks = shellBlocks(text);
  const settings = blocks.find((b) => b.every((l) => /^MM_[A-Z_]+=/.test(l)));
  const service = blocks.find((b) => b[0]?.startsWith('export '));
  const setup = blocks.find((b) => b.some((l) => l.includes('oauth2-connect setup')));
  if (!settings || !service || !setup) throw new Error('the quick start lacks its settings, its service or its setup block');
  const serviceLine = words(service[0]!).slice(1);
  const setupWords = words(setup[0]!);
  const setupAssignments = setupWords.filter((w) => assignment(w));
  return {
    text,
    serverSettings: Object.fromEntries(settings.map((l) => assignment(words(l)[0]!)!)),
    serviceEnv: Object.fromEntries(serviceLine.map((w) => assignment(w) ?? fail(`"${w}" in the export line is not an assignment`))),
    serviceCommands: service
      .slice(1)
      .join(' && ')
      .split('&&')
      .map((c) => c.trim()),
    setupEnv: Object.fromEntries(setupAssignments.map((w) => assignment(w)!)),
    setupCommand: setupWords.slice(setupAssignments.length),
  };
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * The README's values with the test's in their place: its example Site URL and service address, the
 * key and token placeholders; the allow-list entry for the service's host follows the README's rule
 * (a host name as it is, an IP address as a CIDR).
 */
export function substitute(values: Record<string, string>, readmeRootUrl: string, subs: Substitutes): Record<string, string> {
  const exampleHost = new URL(readmeRootUrl).hostname;
  const testHost = new URL(subs.rootUrl).hostname;
  const allowed = isIP(testHost) ? `${testHost}/32` : testHost;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      let v = value.replaceAll('https://mm.example.com', subs.mattermostUrl).replaceAll(readmeRootUrl, subs.rootUrl);
      if (key === 'MM_SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS') v = v.replaceAll(exampleHost, allowed);
      if (/^<32 bytes in base64.*>$/.test(v)) v = subs.encryptionKey;
      if (/^<a system admin's personal access token>$/.test(v)) v = subs.adminToken;
      if (/<[^>]*>|example\.com/.test(v)) throw new Error(`the quick start's ${key}=${value} has a placeholder the test does not know`);
      return [key, v];
    }),
  );
}
