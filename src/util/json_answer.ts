/** A JSON answer written with node's own response API, byte for byte as express's res.json writes it (routes served ahead of express use it). */
import type { ServerResponse } from 'node:http';

/** HTTP `status` with `text`, which is JSON already (e.g. an answer serialized once and shared). */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** HTTP `status` with the JSON of `answer`. */
export function sendJson(res: ServerResponse, status: number, answer: unknown): void {
  sendJsonText(res, status, JSON.stringify(answer));
}
