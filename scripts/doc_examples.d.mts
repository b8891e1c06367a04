export interface DocExample {
  /** The document, relative to the repository. */
  doc: string;
  /** 1 for the document's first example. */
  index: number;
  /** The line of the opening fence. */
  line: number;
  /** run: runs as it is; driven: exports functions a test calls against real servers. */
  mode: 'run' | 'driven';
  code: string;
  /** A file name for it, unique in the repository. */
  name: string;
}
export function exampleDocuments(root: string): string[];
export function docExamples(root: string): DocExample[];
