/**
 * An answer whose body is already in memory (read within the size limit), as
 * the WHATWG Response oauth4webapi takes. text(), json() and arrayBuffer()
 * answer from the bytes: a Response built around bytes wraps them in a
 * ReadableStream and reads them back through it, which was about a quarter of
 * the CPU of a small request. The stream is made only when something asks
 * for it (body, blob(), formData()); from then on that Response
 * answers everything. A body reads once, and clone() gives one that reads
 * again, as a Response's does.
 */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
/** A status whose answer has no body (fetch gives it a null body whatever was sent). */
export const hasNoBody = (status: number): boolean => NULL_BODY_STATUS.has(status);
const decoder = new TextDecoder();

export interface ReadAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** The address asked (Response.url). */
  url: string;
}

/**
 * The platform's Response as a plain constructor: lib.dom declares its members as methods and accessors,
 * Node's types (undici-types) as properties, and a class overriding them can satisfy only one of the two.
 */
const PlatformResponse: new (body: null, init: ResponseInit) => object = Response;

class ReadResponse extends PlatformResponse {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #answer: ReadAnswer;
  #read = false;
  #streamed: Response | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, answer: ReadAnswer) {
    super(null, answer);
    this.#bytes = bytes;
    this.#answer = answer;
  }

  get url(): string {
    return this.#answer.url;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#stream().body;
  }

  get bodyUsed(): boolean {
    return this.#streamed ? this.#streamed.bodyUsed : this.#read;
  }

  async text(): Promise<string> {
    return this.#streamed ? this.#streamed.text() : decoder.decode(this.#take());
  }

  async json(): Promise<unknown> {
    return this.#streamed ? this.#streamed.json() : JSON.parse(decoder.decode(this.#take()));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#streamed) return this.#streamed.arrayBuffer();
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  blob(): Promise<Blob> {
    return this.#stream().blob();
  }

  formData(): Promise<FormData> {
    return this.#stream().formData();
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new ReadResponse(this.#bytes, this.#answer) as unknown as Response;
  }

  /** The bytes, once: a second read fails as a Response's does. */
  #take(): Uint8Array<ArrayBuffer> {
    if (this.#read) throw new TypeError('Body is unusable: Body has already been read');
    this.#read = true;
    return this.#bytes;
  }

  /** A Response around the bytes, made at the first ask for a stream; read already when they were. */
  #stream(): Response {
    if (!this.#streamed) {
      this.#streamed = new Response(this.#bytes, this.#answer);
      if (this.#read) void this.#streamed.arrayBuffer();
    }
    return this.#streamed;
  }
}

/** The answer as a Response; a status that has no body (204, 304...) gets none. */
export function readResponse(bytes: Uint8Array<ArrayBuffer>, answer: ReadAnswer): Response {
  // A Response at run time (a subclass of the platform's); typed as one here, where its base is not.
  if (!hasNoBody(answer.status)) return new ReadResponse(bytes, answer) as unknown as Response;
  const response = new Response(null, answer);
  Object.defineProperty(response, 'url', { value: answer.url });
  return response;
}
