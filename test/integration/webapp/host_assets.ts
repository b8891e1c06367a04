// What a Mattermost stand-in serves of its web client: the host page at /, the
// libraries it puts on window (React bundled for the React under test, Redux
// and ReactRedux as UMD builds) and the built plugin bundle at the path
// Mattermost serves plugin bundles from. Shared by the in-process stand-in and
// the proxy in front of a real server (whose build has no web client).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BUNDLE, ROOT } from './build_bundle.js';
import { hostPage, VENDOR_SCRIPTS, type HostPlace } from './host_page.js';

export const BUNDLE_PATH = '/static/plugins/com.github.oauth2-connect.webapp/main.js';
const VENDOR = ['react-all.js', 'redux.js', 'react-redux.js'];

export function sendText(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** A handler that answers the web client's GETs and returns false for anything else. */
export function hostAssets(reactScript: string, place?: HostPlace): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') sendText(res, 200, 'text/html', hostPage(VENDOR, place));
    else if (path === '/vendor/react-all.js') sendText(res, 200, 'text/javascript', reactScript);
    else if (path.startsWith('/vendor/') && VENDOR_SCRIPTS[path.slice('/vendor/'.length)])
      sendText(res, 200, 'text/javascript', readFileSync(join(ROOT, 'node_modules', VENDOR_SCRIPTS[path.slice('/vendor/'.length)]!)));
    else if (path === BUNDLE_PATH) sendText(res, 200, 'text/javascript', readFileSync(BUNDLE));
    else return false;
    return true;
  };
}
